import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readSync, statfsSync, statSync, unlinkSync } from 'node:fs'
import { endianness } from 'node:os'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations'
import { DATABASE_FILE } from '../retention/backup'
import { QUARANTINE_DIR, quarantine } from '../../core/retention/quarantine'
import { acquireRunLock, lockedMessage, lockHolder, RunLockError, type LockRecord, type RunLock } from '../../core/retention/run-lock'
import { StartupRefusal } from '../../core/retention/startup-refusal'
import { isStorageFull } from '../../core/retention/storage-errors'

export interface StartupOptions {
  /** `--accept-empty-database`: start on a new, empty database although earlier data is there (it is quarantined). */
  acceptEmptyDatabase?: boolean
  /** `--accept-missing-wal`: start although the WAL file an unclean stop left is gone (its last commits are lost). */
  acceptMissingWal?: boolean
  log?: (line: string) => void
}

export interface DataFolder {
  /** After the store closed: the last connection closes (SQLite folds the WAL in and removes it), then the lock goes. */
  release(): void
}

const RESTORE = 'npm run restore -- --config <配置文件> --from <备份文件>'
const PHOTOS_DIR = 'photos'

/**
 * Start-up integrity of the data folder, before the store opens it. Refuses — with one Chinese line naming the fix —
 * a folder that cannot be written, one another booth holds, a missing or emptied database beside earlier data, a
 * WAL file gone after an unclean stop, a corrupt database and a database newer than this program. Then takes the
 * run lock and keeps one connection to the database open for the life of the booth, so that from here on a kill
 * always leaves the WAL (and the lock saying so) behind. Nothing is deleted: what does not fit is quarantined.
 */
export function openDataFolder(dataDir: string, options: StartupOptions = {}): DataFolder {
  ensureWritable(dataDir)
  const holder = lockHolder(dataDir)
  if (holder.state === 'live' && holder.record.pid !== process.pid) throw new RunLockError(lockedMessage(dataDir, holder.record))
  const uncleanStop = holder.state === 'stale' ? (holder.record ?? { pid: 0 }) : null

  const file = join(dataDir, DATABASE_FILE)
  const present = existsSync(file) && statSync(file).size > 0
  // Looked for before anything opens the database (opening creates its -wal and -shm).
  const traces = earlierData(dataDir, uncleanStop)
  // Before anything opens it: SQLite would replay a WAL left by a deleted database into a new one.
  if (present) checkWal(file, uncleanStop, options)
  else startEmpty(dataDir, '不存在或是空的', traces, options)
  const db = openChecked(file, present)
  try {
    if (present && (db.pragma('user_version', { simple: true }) as number) === 0) startEmpty(dataDir, '里没有数据表', traces, options)
    else if (present && countPassages(db) === 0 && photoPassages(dataDir, 2) >= 2) startEmpty(dataDir, '里没有任何通行记录', traces, options)
  } catch (error) {
    db.close()
    throw error
  }
  let lock: RunLock
  try {
    lock = acquireRunLock(dataDir, { log: options.log })
  } catch (error) {
    // Another booth took the folder while this one was checking it.
    db.close()
    throw error
  }
  lock.databaseOpen(true)
  return {
    release() {
      // In this order, a stop cut short anywhere leaves either the WAL or a lock that does not ask for one.
      lock.databaseOpen(false)
      db.close()
      lock.release()
    }
  }
}

/** The database is missing or has no records, yet the folder held a booth: refused unless the admin said so. */
function startEmpty(dataDir: string, how: string, traces: string[], { acceptEmptyDatabase, log }: StartupOptions): void {
  const file = join(dataDir, DATABASE_FILE)
  if (traces.length === 0) return
  const quarantined = join(dataDir, QUARANTINE_DIR, PHOTOS_DIR)
  if (!acceptEmptyDatabase) {
    throw new StartupRefusal(
      `无法启动：数据库 ${file} ${how}，但数据目录里还有以前的数据（${traces.join('、')}），这不是新装的岗亭。请从备份恢复：${RESTORE}；若确认要用空数据库重新开始，加参数 --accept-empty-database 启动（原有照片会移到 ${quarantined}，不会删除）`
    )
  }
  const stat = existsSync(file) ? statSync(file) : null
  if (!stat || stat.size === 0) for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) quarantine(dataDir, DATABASE_FILE + suffix)
  log?.(`已按 --accept-empty-database 以空数据库启动（数据库${how}）；原有照片移入 ${quarantined}，不会删除`)
}

function ensureWritable(dataDir: string): void {
  const probe = join(dataDir, `.write-test-${process.pid}`)
  try {
    mkdirSync(dataDir, { recursive: true })
    closeSync(openSync(probe, 'w'))
    unlinkSync(probe)
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) {
      if (existsSync(join(dataDir, name))) accessSync(join(dataDir, name), constants.R_OK | constants.W_OK)
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
    // A full disk is an alarm once the booth runs (disk guard), not a reason to stay down.
    if (code === 'ENOSPC' || code === 'EDQUOT') return
    const why = code === 'EROFS' ? '磁盘是只读的' : code === 'EACCES' || code === 'EPERM' ? '没有写权限' : '写入出错'
    throw new StartupRefusal(
      `无法启动：数据目录 ${dataDir} 不可写（${why}，${code}）。磁盘出错时系统会把它改为只读：请检查磁盘（Windows: chkdsk；Linux: dmesg、fsck）和该目录及其中文件的权限，修复后再启动`
    )
  }
}

/**
 * The WAL file holds commits not yet folded into the database file; SQLite opens a database without it silently,
 * as of its last checkpoint. Gone after an unclean stop, those commits are lost: the -shm index (if still there)
 * says how many pages; without it, a lock left by a booth that had the database open says there may be some.
 */
function checkWal(file: string, unclean: LockRecord | null, { acceptMissingWal, log }: StartupOptions): void {
  if (existsSync(`${file}-wal`)) return
  const frames = walFramesInIndex(`${file}-shm`)
  const lost = frames !== null ? frames > 0 : unclean !== null && (unclean.database === 'open' || unclean.startedAt === undefined)
  if (!lost) return
  const amount = frames !== null ? `${frames} 页` : '数量未知'
  if (acceptMissingWal) {
    log?.(`已按 --accept-missing-wal 启动：预写日志 ${file}-wal 丢失，最近提交的记录（${amount}）已丢失`)
    return
  }
  throw new StartupRefusal(
    `无法启动：程序上次没有正常退出，而数据库的预写日志 ${file}-wal 不见了，最近提交的记录（${amount}）会丢失。请把 ${basename(file)}-wal 找回放回原处再启动，或从备份恢复：${RESTORE}；若确认接受这些记录丢失，加参数 --accept-missing-wal 启动`
  )
}

/** mxFrame of the WAL index header (-shm, native byte order): valid frames in the WAL; null without a usable index. */
function walFramesInIndex(shm: string): number | null {
  let header: Buffer
  try {
    const fd = openSync(shm, 'r')
    try {
      header = Buffer.alloc(48)
      if (readSync(fd, header, 0, 48, 0) < 48) return null
    } finally {
      closeSync(fd)
    }
  } catch {
    return null
  }
  const le = endianness() === 'LE'
  const version = le ? header.readUInt32LE(0) : header.readUInt32BE(0)
  if (version !== 3007000 || header[12] !== 1) return null
  return le ? header.readUInt32LE(16) : header.readUInt32BE(16)
}

/** Opens the database (creating it when absent, in WAL mode) and checks it is whole and not newer than this program. */
function openChecked(file: string, present: boolean): Database.Database {
  const RESTORE_HINT = `请从备份恢复：${RESTORE}（损坏的文件会保留为 ${basename(file)}.before-restore-…）`
  let db: Database.Database
  try {
    // The Electron build of the addon, as booth/store/db.ts opens it.
    db = new Database(file, process.env.GATE_SQLITE_BINDING ? { nativeBinding: process.env.GATE_SQLITE_BINDING } : {})
  } catch (error) {
    throw diskRefusal(file, error)
  }
  try {
    if (!present) db.pragma('journal_mode = WAL')
    const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[]
    if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') {
      throw new StartupRefusal(`无法启动：数据库 ${file} 已损坏（${problems.slice(0, 3).map((row) => row.quick_check).join('；')}）。${RESTORE_HINT}`)
    }
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > migrations.length) throw new StartupRefusal(`无法启动：数据库 ${file} 的版本（${version}）比本程序（${migrations.length}）新，请安装新版本的程序`)
    return db
  } catch (error) {
    db.close()
    if (error instanceof StartupRefusal) throw error
    const code = (error as { code?: string }).code ?? ''
    // SQLITE_NOTADB, SQLITE_CORRUPT: not a database any more. Anything else is the disk, and a restore would not help.
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) throw new StartupRefusal(`无法启动：数据库 ${file} 已损坏（${(error as Error).message}）。${RESTORE_HINT}`)
    throw diskRefusal(file, error)
  }
}

/** The database cannot be opened for a reason of the disk (full, read-only, failing): fix that, do not restore. */
function diskRefusal(file: string, error: unknown): StartupRefusal {
  const code = (error as { code?: string }).code ?? 'unknown'
  let free = Infinity
  try {
    const stats = statfsSync(dirname(file))
    free = stats.bavail * stats.bsize
  } catch {
    // Not even measurable: the message below still names the disk.
  }
  // SQLite needs room for its WAL index (-shm) to open at all: a full disk shows as an I/O error.
  if (isStorageFull(error) || free < 1024 ** 2) {
    return new StartupRefusal(`无法启动：磁盘空间已满，数据库 ${file} 无法打开（${code}）。请先清理该磁盘（旧备份、无关文件）再启动；数据没有损坏，不要恢复备份`)
  }
  return new StartupRefusal(`无法启动：数据库 ${file} 无法打开（磁盘出错或没有权限：${code}）。请检查磁盘（Windows: chkdsk；Linux: dmesg）和该文件的权限后再启动；这不是数据库损坏，不要恢复备份`)
}

function countPassages(db: Database.Database): number {
  try {
    return db.prepare('SELECT COUNT(*) FROM passages').pluck().get() as number
  } catch {
    return 0
  }
}

/** What shows that this folder held a booth before: photos, a WAL, a lock of a booth that had the database open. */
function earlierData(dataDir: string, unclean: LockRecord | null): string[] {
  const traces: string[] = []
  if (photoPassages(dataDir, 1) > 0) traces.push(`${PHOTOS_DIR} 中的照片`)
  for (const suffix of ['-wal', '-shm']) if (existsSync(join(dataDir, DATABASE_FILE + suffix))) traces.push(DATABASE_FILE + suffix)
  if (unclean?.database === 'open') traces.push(`上次运行留下的 booth.lock（进程 ${unclean.pid}）`)
  return traces
}

/**
 * How many passages the photo folder has files of (`<lsh>_<n>.jpg`), counting up to `enough`. A crash between a
 * photo's fsync and its commit orphans the photos of one passage at most: those of two mean a database that lost
 * its records.
 */
function photoPassages(dataDir: string, enough: number): number {
  const seen = new Set<string>()
  const root = join(dataDir, PHOTOS_DIR)
  let days: string[]
  try {
    days = readdirSync(root)
  } catch {
    return 0
  }
  for (const day of days) {
    let files: string[]
    try {
      files = readdirSync(join(root, day))
    } catch {
      continue
    }
    for (const name of files) {
      seen.add(name.split('_')[0]!)
      if (seen.size >= enough) return seen.size
    }
  }
  return seen.size
}
