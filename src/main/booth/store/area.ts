import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startLogFiles, stopLogFiles } from '../../core/log'
import { acquireRunLock } from '../../core/retention'
import { defineArea } from '../../core/root/area'
import { openStore, type Store, type StoreOptions } from '.'

declare module '../../core/root/area' {
  interface Provided {
    /** The booth's SQLite store in the data folder. */
    store: Store
  }
}

/** The data folder: created if new, held by this process (run lock), with the file log and the SQLite store in it. */
export function storeArea(options: StoreOptions = {}) {
  return defineArea({
    name: 'store',
    needs: [],
    provides: ['store'],
    commands: {},
    create(_needs, { config }) {
      mkdirSync(config.dataDir, { recursive: true })
      startLogFiles(join(config.dataDir, 'logs'), config.logs)
      // A store that cannot be had gives back what was taken for it: the lock, the log files.
      const undo = [stopLogFiles]
      try {
        const runLock = acquireRunLock(config.dataDir)
        undo.unshift(() => runLock.release())
        const store = openStore(config.dataDir, options)
        undo.unshift(() => store.close())
        return { provides: { store }, handlers: {}, stop: () => undo.forEach((step) => step()) }
      } catch (error) {
        undo.forEach((step) => step())
        throw error
      }
    }
  })
}
