import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { parseConfig } from '../../src/main/core/config'
import { tempDir } from '../integration/support'

/**
 * The real booth core on a temp data folder, with the platform unreachable (a closed loopback port): every lane
 * decision is made offline, quickly, so a fuzz run exercises the real router, lanes and store.
 */
export async function startOfflineApp(): Promise<SingleGate> {
  const dataDir = tempDir('fuzz')
  const config = parseConfig(
    {
      dataDir,
      platform: { baseUrl: 'http://127.0.0.1:9/ysgk', username: 'gate01', requestTimeoutMs: 200, verifyBudgetMs: 200 },
      enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司' },
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
        { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
      ],
      host: { host: '127.0.0.1', port: 0 },
      lpr: { host: '127.0.0.1', port: 0 },
      sync: { intervalMs: 60_000, maxBackoffMs: 60_000 },
      reports: { pdfBrowserPath: '/nonexistent/browser' }
    },
    dataDir
  )
  return startSingleGate({ config, platformPassword: 'fuzz-password', version: 'fuzz', demo: false, log: () => {} })
}
