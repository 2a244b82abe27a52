import { join } from 'node:path'
import type { SharedRepos } from '../../core/repos'
import { defineArea, type RootContext } from '../../core/root/area'
import type { PlantConfig } from '../config'
import { openPlantStore, type PlantStore } from '../store'

declare module '../../core/root/area' {
  interface Provided {
    /** The plant's PostgreSQL store: intake, change feed, booths, the enterprise views (plant areas). */
    plantStore: PlantStore
  }
}

/** The plant's PostgreSQL (migrated at start) and the core repos on it, which the areas both roles run need. */
export function plantStoreArea({ databasePassword }: { databasePassword?: string | undefined }) {
  return defineArea({
    name: 'plant-store',
    needs: [],
    provides: ['plantStore', 'sharedRepos'],
    commands: {},
    async create(_needs, { config }: RootContext<PlantConfig>) {
      const store = await openPlantStore({ connectionString: config.database.url, password: databasePassword, photosDir: join(config.dataDir, 'photos') })
      const sharedRepos: SharedRepos = store.repos
      return { provides: { plantStore: store, sharedRepos }, handlers: {}, stop: () => store.close() }
    }
  })
}
