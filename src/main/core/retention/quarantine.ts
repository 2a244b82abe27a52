import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Under the data folder: files the booth will not use but must not delete (photos without a record, a stray WAL). */
export const QUARANTINE_DIR = 'quarantine'

/**
 * Moves `dataDir/<path>` to `dataDir/quarantine/<path>` (a rename: no copy, so it works on a full disk too), never
 * over an earlier file of the same name (`.1`, `.2` … are added). Returns the new path, relative to `dataDir`.
 */
export function quarantine(dataDir: string, path: string): string {
  const base = join(QUARANTINE_DIR, path)
  let target = base
  for (let n = 1; existsSync(join(dataDir, target)); n++) target = `${base}.${n}`
  mkdirSync(dirname(join(dataDir, target)), { recursive: true })
  renameSync(join(dataDir, path), join(dataDir, target))
  return target
}
