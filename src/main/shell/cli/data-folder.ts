import { resolve } from 'node:path'
import { loadConfigFile } from '../../core/config'
import { openStore, type Store } from '../../booth/store'

/** The booth store named on an admin command line: `--config booth.json` (its dataDir) or `--data DIR`. */
export function openStoreFromArgs(values: { config?: string | undefined; data?: string | undefined }): Store {
  if (values.config) return openStore(loadConfigFile(values.config).dataDir)
  if (values.data) return openStore(resolve(values.data))
  throw new Error('name the booth: --config booth.json or --data DIR')
}
