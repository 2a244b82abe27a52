import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { startHttpHost, type HttpHost } from '../../src/main/core/api'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { tempDir } from './support'

export interface DemoBooth {
  app: SingleGate
  host: HttpHost
  sim: PlatformSim
  close(): Promise<void>
}

/** The demo booth (seeded guard/guard123 and admin/admin123) behind a real HTTP host on 127.0.0.1. */
export async function startDemoBooth(): Promise<DemoBooth> {
  const sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const config = demoConfig({ dataDir: tempDir('auth'), platformBaseUrl: sim.baseUrl, hostPort: 0, lprPort: 0 })
  const app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
  const host = await startHttpHost({ host: '127.0.0.1', port: 0, router: app.router, events: app.events, sessions: app.sessions, rendererDir: tempDir('no-renderer') })
  return {
    app,
    host,
    sim,
    async close() {
      await host.close()
      await app.close()
      await sim.close()
    }
  }
}
