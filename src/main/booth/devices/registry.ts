/**
 * Every device of the booth in one place: built per lane from the config, or registered by whoever owns it (the
 * camera adapters call `register`). The registry follows each device's health for `devices.health` and the
 * `device.health` event, and stops them all on shutdown.
 */
import type { BarrierConfig, DisplayConfig, LaneConfig, ScaleConfig } from '../../core/config'
import { ModbusBarrier } from './barrier-modbus-rtu/modbus-barrier'
import { LedDisplay } from './display-led-0x64/led-display'
import { Xk3190Scale } from './scale-xk3190/xk3190-scale'
import type { Barrier, Device, DeviceHealth, Display, Scale } from './types'

export interface LaneDevices {
  barrier: Barrier | null
  display: Display | null
  scale: Scale | null
}

export function createBarrier(id: string, laneId: string | null, config: BarrierConfig): Barrier | null {
  if (config.kind === 'none') return null
  const { path, baudRate, unitId, timeoutMs, retries, pollMs, reconnectMs, registers } = config
  return new ModbusBarrier({ id, laneId, path, baudRate, unitId, timeoutMs, retries, pollMs, reconnectMs, registers })
}

/** One adapter per display protocol; `protocol` in the config picks it. */
export function createDisplay(id: string, laneId: string | null, config: DisplayConfig): Display | null {
  if (config.kind === 'none') return null
  switch (config.protocol) {
    case '0x64': {
      const { path, baudRate, address, timeoutMs, reconnectMs, password, probeMs, lines } = config
      return new LedDisplay({ id, laneId, path, baudRate, address, timeoutMs, reconnectMs, password, probeMs, lines })
    }
  }
}

export function createScale(id: string, laneId: string | null, config: ScaleConfig): Scale | null {
  if (config.kind === 'none') return null
  const { path, baudRate, reconnectMs, stableToleranceKg, settleMs, staleMs } = config
  return new Xk3190Scale({ id, laneId, path, baudRate, reconnectMs, stableToleranceKg, settleMs, staleMs })
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
    const devices: LaneDevices = {
      barrier: createBarrier(`${lane.id}/barrier`, lane.id, lane.barrier),
      display: createDisplay(`${lane.id}/display`, lane.id, lane.display),
      scale: createScale(`${lane.id}/scale`, lane.id, lane.scale)
    }
    for (const device of [devices.barrier, devices.display, devices.scale]) if (device) this.register(device)
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
  return { ...health, lastSeenAt: health.lastSeenAt === null ? null : new Date(health.lastSeenAt).toISOString() }
}
