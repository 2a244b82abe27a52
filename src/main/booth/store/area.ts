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
      let runLock: { release(): void } | null = null
      let store: Store
      try {
        runLock = acquireRunLock(config.dataDir)
        store = openStore(config.dataDir, options)
      } catch (error) {
        runLock?.release()
        stopLogFiles()
        throw error
      }
      return {
        provides: { store },
        handlers: {},
        stop() {
          store.close()
          runLock?.release()
          stopLogFiles()
        }
      }
    }
  })
}
