import { deviceCommands } from '@shared/contract'
import { defineArea } from '../../core/root/area'
import { DeviceRegistry, healthView } from './registry'
import type { LaneDevices } from './types'

declare module '../../core/root/area' {
  interface Provided {
    /** Every device; cameras register themselves here too. */
    devices: DeviceRegistry
    /** The serial devices each lane's config names, by lane id. */
    laneDevices: ReadonlyMap<string, LaneDevices>
  }
}

/** The lanes' serial devices (barriers, displays, scales) and the health of every device; one going offline is an alarm. */
export const devicesArea = defineArea({
  name: 'devices',
  needs: ['alarms'],
  provides: ['devices', 'laneDevices', 'deviceHealth'],
  commands: deviceCommands,
  create({ alarms }, { config, events, log }) {
    const devices = new DeviceRegistry()
    devices.onHealth((health) => {
      events.publish('device.health', healthView(health))
      log(`device ${health.id}: ${health.status}${health.error ? ` (${health.error})` : ''}`)
    })
    const laneDevices = new Map(config.lanes.map((lane) => [lane.id, devices.addLane(lane)]))
    const stopWatching = alarms.watch([devices])
    return {
      provides: { devices, laneDevices, deviceHealth: () => devices.list().map(healthView) },
      handlers: { 'devices.health': () => devices.list().map(healthView) },
      async stop() {
        stopWatching()
        await devices.stop()
      }
    }
  }
})
