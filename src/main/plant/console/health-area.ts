import { collectHealth } from '../../core/health'
import { DiskGuard } from '../../core/retention/disk-guard'
import { defineArea, type RootContext } from '../../core/root/area'
import type { PlantConfig } from '../config'

const GB = 1024 ** 3

/**
 * GET /health at the plant (docs/plant.md, "Monitoring"): as the booth's — version, uptime, PostgreSQL answering, the
 * outbox's pending and dead rows, the disk of the data folder — plus the city-platform link; no plates, no secrets.
 */
export const plantHealthArea = defineArea({
  name: 'plant-health',
  needs: ['plantStore', 'platform'],
  provides: ['health'],
  commands: {},
  create({ plantStore: store, platform }, { config, log, version }: RootContext<PlantConfig>) {
    const startedAt = Date.now()
    const disk = new DiskGuard({
      dir: config.dataDir,
      warnFreeBytes: 10 * GB,
      criticalFreeBytes: 2 * GB,
      intervalMs: 60_000,
      onChange: (status) => log(`disk: ${status.level}, ${status.freeBytes} bytes free in ${status.dataDir}`)
    })
    return {
      provides: {
        health: () =>
          collectHealth({
            version,
            startedAt,
            database: store.repos.database,
            outbox: store.repos.outbox,
            disk: () => disk.check(),
            devices: () => [],
            city: () => {
              const status = platform.status()
              return { state: status.link.state, loggedIn: status.loggedIn, lastContactAt: status.lastContactAt }
            }
          })
      },
      handlers: {}
    }
  }
})
