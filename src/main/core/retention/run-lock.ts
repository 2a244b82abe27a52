import { readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { StartupRefusal } from './startup-refusal'

export const LOCK_FILE = 'booth.lock'
/** How often the holder touches its lock where the OS cannot tell a process's start time (see `processIdentity`). */
const HEARTBEAT_MS = 60_000
/** A lock not touched for this long, whose pid runs, belongs to another program that reused the pid. */
const HEARTBEAT_STALE_MS = 5 * HEARTBEAT_MS

export class RunLockError extends StartupRefusal {
  override name = 'RunLockError'
}

/** What `booth.lock` says about the process holding the data folder. */
export interface LockRecord {
  pid: number
  /** Linux: /proc/sys/kernel/random/boot_id, and the process's start time in clock ticks since boot (/proc/<pid>/stat). */
  bootId?: string
  startTicks?: string
  host?: string
  startedAt?: string
  /** The holder had the database open: a lock left behind means its WAL file holds commits (see startup.ts). */
  database?: 'open'
}

/** Who a pid is, as far as the OS tells: on Linux the boot and the start time, which a reused pid does not share. */
export interface ProcessIdentity {
  bootId: string
  startTicks: string
  /** The same start time as epoch ms (boot time + ticks at USER_HZ 100), to compare with a file's time. */
  startedAtMs: number
}

export type LockHolder =
  | { state: 'none' }
  | { state: 'live'; record: LockRecord }
  /** A lock its process no longer holds: that process stopped without releasing it (killed, crashed, power cut). */
  | { state: 'stale'; record: LockRecord | null; why: string }

export interface LockProbe {
  identity(pid: number): ProcessIdentity | null
  alive(pid: number): boolean
  now(): number
}

/** Linux /proc; elsewhere null, and the lock's heartbeat decides. */
export function processIdentity(pid: number): ProcessIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1])
    if (!startTicks || !Number.isFinite(bootSeconds)) return null
    return { bootId, startTicks, startedAtMs: bootSeconds * 1000 + Number(startTicks) * 10 }
  } catch {
    return null
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const SYSTEM: LockProbe = { identity: processIdentity, alive, now: Date.now }

/** Reads `booth.lock` and decides whether its process still holds the data folder. */
export function lockHolder(dataDir: string, probe: LockProbe = SYSTEM): LockHolder {
  const file = join(dataDir, LOCK_FILE)
  let text: string
  let touchedAt: number
  try {
    text = readFileSync(file, 'utf8')
    touchedAt = statSync(file).mtimeMs
  } catch {
    return { state: 'none' }
  }
  const record = parseLock(text)
  if (!record) return { state: 'stale', record: null, why: '锁文件内容无法识别' }
  if (!probe.alive(record.pid)) return { state: 'stale', record, why: `进程 ${record.pid} 已不存在` }
  const identity = probe.identity(record.pid)
  if (identity && record.bootId && record.startTicks) {
    if (identity.bootId !== record.bootId) return { state: 'stale', record, why: `电脑已重启过，进程号 ${record.pid} 现在属于另一个程序` }
    if (identity.startTicks !== record.startTicks) return { state: 'stale', record, why: `进程号 ${record.pid} 已被另一个程序重新使用` }
    return { state: 'live', record }
  }
  // A lock of an earlier version (the pid alone): a process that started after the lock was written did not write it.
  if (identity && identity.startedAtMs > touchedAt + 2_000) return { state: 'stale', record, why: `进程号 ${record.pid} 已被另一个程序重新使用` }
  // No start time to compare (another OS): the holder touches its lock every minute; a pid that runs but has not, is not it.
  if (record.startedAt && probe.now() - touchedAt > HEARTBEAT_STALE_MS) {
    return { state: 'stale', record, why: `锁文件已 ${Math.round((probe.now() - touchedAt) / 60_000)} 分钟未更新，进程号 ${record.pid} 属于另一个程序` }
  }
  return { state: 'live', record }
}

/** A lock written by an earlier version is the pid alone. */
function parseLock(text: string): LockRecord | null {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) }
  try {
    const record = JSON.parse(trimmed) as LockRecord
    return Number.isInteger(record.pid) && record.pid > 0 ? record : null
  } catch {
    return null
  }
}

/** The pid of the booth process that holds the data folder, or null when none is running. */
export function runningPid(dataDir: string, probe?: LockProbe): number | null {
  const holder = lockHolder(dataDir, probe)
  return holder.state === 'live' ? holder.record.pid : null
}

export function lockedMessage(dataDir: string, record: LockRecord): string {
  const since = record.startedAt ? `，启动于 ${record.startedAt}` : ''
  return `无法启动：数据目录 ${dataDir} 正被另一个岗亭程序使用（进程 ${record.pid}${since}）。请先关闭那个程序（或在任务管理器中结束该进程）再启动；若确认没有岗亭程序在运行，删除 ${join(dataDir, LOCK_FILE)} 后再启动`
}

export interface RunLock {
  /** The lock a stopped process left behind and this one took over; null when the folder was free. */
  previous: Exclude<LockHolder, { state: 'live' }>
  /** Notes in the lock whether the database is open (see LockRecord.database). */
  databaseOpen(open: boolean): void
  release(): void
}

/**
 * Marks the data folder as in use by this process, so a restore refuses to replace the database under it and a
 * second booth cannot share it. A lock left by a process that is gone — or whose pid another program now has — is
 * taken over. A full disk that cannot take the lock file does not stop the booth: it runs unlocked and says so.
 */
export function acquireRunLock(dataDir: string, options: { log?: (line: string) => void; probe?: LockProbe } = {}): RunLock {
  const holder = lockHolder(dataDir, options.probe)
  if (holder.state === 'live' && holder.record.pid !== process.pid) throw new RunLockError(lockedMessage(dataDir, holder.record))
  if (holder.state === 'stale') options.log?.(`took over ${LOCK_FILE} of a booth that did not stop cleanly: ${holder.why}`)
  const file = join(dataDir, LOCK_FILE)
  const identity = processIdentity(process.pid)
  const record: LockRecord = { pid: process.pid, bootId: identity?.bootId, startTicks: identity?.startTicks, host: hostname(), startedAt: new Date().toISOString() }
  const write = () => {
    try {
      writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(record)}\n`)
      renameSync(`${file}.${process.pid}`, file)
      return true
    } catch (error) {
      options.log?.(`${LOCK_FILE} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): running without it`)
      return false
    }
  }
  let held = write()
  const heartbeat = setInterval(() => {
    try {
      if (held) utimesSync(file, new Date(), new Date())
    } catch {
      // The next beat tries again; a missed one only matters after five.
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  return {
    previous: holder.state === 'live' ? { state: 'none' } : holder,
    databaseOpen(open) {
      if (open) record.database = 'open'
      else delete record.database
      held = write()
    },
    release() {
      clearInterval(heartbeat)
      try {
        if (held && runningPid(dataDir, options.probe) === process.pid) unlinkSync(file)
      } catch (error) {
        options.log?.(`${LOCK_FILE} could not be removed (${(error as Error).message}): the next start takes it over`)
      }
    }
  }
}
