/**
 * Every device of the booth in one place: built per lane from the config through the table of device kinds, or
 * registered by whoever owns it (the camera adapters call `register`). The registry follows each device's health for
 * `devices.health` and the `device.health` event, and stops them all on shutdown.
 */
import type { LaneConfig } from '../../core/config'
import { kindsOf, LANE_DEVICE_ROLES } from './kinds'
import type { Device, DeviceHealth, LaneDeviceRole, LaneDevices } from './types'
import { isoOrNull } from '../../core/time'

/** The adapter the table's entry for `config.kind` builds; null for `kind: "none"`. */
export function createDevice<R extends LaneDeviceRole>(role: R, id: string, laneId: string | null, config: LaneConfig[R]): LaneDevices[R] {
  if (config.kind === 'none') return null
  const entry = kindsOf(role).find((candidate) => candidate.kind === config.kind)
  // The config schema admits only the table's kinds, so a miss is a config built around it.
  if (!entry) throw new Error(`no ${role} of kind ${config.kind} in the device table`)
  return entry.create({ id, laneId }, config)
}

export class DeviceRegistry {
  private readonly devices = new Map<string, { device: Device; unsubscribe: () => void }>()
  private readonly listeners = new Set<(health: DeviceHealth) => void>()

  /** Adds a device (its health id must be unique); returns a function that removes it again without stopping it. */
  register(device: Device): () => void {
    const id = device.health().id
    if (this.devices.has(id)) throw new Error(`device ${id} is already registered`)
    const unsubscribe = device.onHealth((health) => this.listeners.forEach((listener) => listener(health)))
    this.devices.set(id, { device, unsubscribe })
    return () => {
      unsubscribe()
      this.devices.delete(id)
    }
  }

  /** Builds and registers the serial devices the lane's config names. */
  addLane(lane: LaneConfig): LaneDevices {
    const devices = Object.fromEntries(LANE_DEVICE_ROLES.map((role) => [role, createDevice(role, `${lane.id}/${role}`, lane.id, lane[role])])) as unknown as LaneDevices
    for (const device of Object.values<Device | null>({ ...devices })) if (device) this.register(device)
    return devices
  }

  list(): DeviceHealth[] {
    return [...this.devices.values()].map(({ device }) => device.health()).sort((a, b) => a.id.localeCompare(b.id))
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async stop(): Promise<void> {
    const entries = [...this.devices.values()]
    this.devices.clear()
    entries.forEach(({ unsubscribe }) => unsubscribe())
    await Promise.all(entries.map(({ device }) => device.stop()))
  }
}

/** The contract's view of a health record (`deviceHealthSchema`): instants as ISO-8601. */
export function healthView(health: DeviceHealth) {
  return { ...health, lastSeenAt: isoOrNull(health.lastSeenAt) }
}
