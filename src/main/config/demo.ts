import type { GateConfig } from './schema'
import { parseConfig } from './load'

export const DEMO_PLATFORM = { organ: '4110020001', username: 'demo', password: 'demo-password' } as const

/** The demo plant: one entry lane and one exit lane at 许昌 enterprise 4110020001, talking to the simulator. */
export function demoConfig(options: { dataDir: string; platformBaseUrl: string; hostPort?: number; lprPort?: number }): GateConfig {
  return parseConfig(
    {
      dataDir: options.dataDir,
      platform: { baseUrl: options.platformBaseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username },
      enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司', companySecretCode: 'DEMO-SECRET-0001' },
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
        { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
      ],
      host: { host: '127.0.0.1', port: options.hostPort ?? 5780 },
      lpr: { host: '127.0.0.1', port: options.lprPort ?? 5781 }
    },
    options.dataDir
  )
}
