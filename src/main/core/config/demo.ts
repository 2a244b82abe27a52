import { demoKindOf, LANE_DEVICE_ROLES, type LaneDeviceRole } from '../../booth/devices'
import type { GateConfig } from './schema'
import { parseConfig } from './load'

export const DEMO_PLATFORM = { organ: '4110020001', username: 'demo', password: 'demo-password' } as const

/** The demo lanes' ids, for starting their simulated devices before the config exists. */
export const DEMO_LANE_IDS = ['in1', 'out1'] as const

/** Where a demo lane's simulated devices listen (tcp://127.0.0.1:port each), by role. */
export type DemoLaneDevices = Record<LaneDeviceRole, string>

/** Each role's device as the device table's demo kind, pointed at its simulator. */
function laneDeviceConfig(devices: DemoLaneDevices | undefined) {
  if (!devices) return {}
  return Object.fromEntries(LANE_DEVICE_ROLES.map((role) => [role, { kind: demoKindOf(role).kind, ...demoKindOf(role).simulator.config(devices[role]) }]))
}

/** The demo plant: one entry lane and one exit lane at 许昌 enterprise 4110020001, talking to the simulator. */
export function demoConfig(options: {
  dataDir: string
  platformBaseUrl: string
  hostPort?: number
  lprPort?: number
  /** The simulated devices per lane id; without them the lanes have none. */
  devices?: Record<string, DemoLaneDevices>
}): GateConfig {
  return parseConfig(
    {
      dataDir: options.dataDir,
      platform: { baseUrl: options.platformBaseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username },
      enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司', companySecretCode: 'DEMO-SECRET-0001' },
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in', ...laneDeviceConfig(options.devices?.in1) },
        { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out', ...laneDeviceConfig(options.devices?.out1) }
      ],
      host: { host: '127.0.0.1', port: options.hostPort ?? 5780 },
      lpr: { host: '127.0.0.1', port: options.lprPort ?? 5781 }
    },
    options.dataDir
  )
}
