import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const LOCK_FILE = 'booth.lock'

export class RunLockError extends Error {
  override name = 'RunLockError'
}

/** The pid of the booth process that holds the data folder, or null when none is running. */
export function runningPid(dataDir: string): number | null {
  let pid: number
  try {
    pid = Number(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim())
  } catch {
    return null
  }
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}

/**
 * Marks the data folder as in use by this process, so a restore refuses to replace the database under it and a
 * second host cannot share it. A lock left by a crashed process (its pid gone) is taken over.
 */
export function acquireRunLock(dataDir: string): { release(): void } {
  const holder = runningPid(dataDir)
  if (holder !== null && holder !== process.pid) throw new RunLockError(`数据目录 ${dataDir} 正被进程 ${holder} 使用`)
  const file = join(dataDir, LOCK_FILE)
  writeFileSync(file, `${process.pid}\n`)
  return {
    release() {
      if (runningPid(dataDir) === process.pid) unlinkSync(file)
    }
  }
}
