import { join } from 'node:path'
import { startLogFiles, stopLogFiles } from '../../core/log'
import { openDataFolder, type StartupOptions } from './startup'
import { defineArea } from '../../core/root/area'
import type { Repos } from '../../core/repos'
import { openStore, type Store, type StoreOptions } from '.'

declare module '../../core/root/area' {
  interface Provided {
    /** The booth's SQLite store in the data folder (booth areas: lanes, passages, retention). */
    store: Store
    /** The storage interfaces of the core areas, implemented on the same database. */
    repos: Repos
  }
}

/**
 * The data folder: created if new, checked before anything is written to it (core/retention/startup.ts), held by this
 * process (run lock), with the file log and the SQLite store in it. `startup`: what the admin accepted at start
 * (--accept-empty-database, --accept-missing-wal).
 */
export function storeArea(options: StoreOptions = {}, startup: Omit<StartupOptions, 'log'> = {}) {
  return defineArea({
    name: 'store',
    needs: [],
    provides: ['store', 'repos', 'sharedRepos'],
    commands: {},
    create(_needs, { config, log }) {
      const runLock = openDataFolder(config.dataDir, { ...startup, log })
      startLogFiles(join(config.dataDir, 'logs'), config.logs)
      // A store that cannot be had gives back what was taken for it: the log files, the lock.
      const undo = [stopLogFiles, () => runLock.release()]
      try {
        const store = openStore(config.dataDir, options)
        undo.unshift(() => store.close())
        return { provides: { store, repos: store.repos, sharedRepos: store.repos }, handlers: {}, stop: () => undo.forEach((step) => step()) }
      } catch (error) {
        undo.forEach((step) => step())
        throw error
      }
    }
  })
}
