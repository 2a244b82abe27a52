import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { copyDatabaseFile, inspectDatabaseFile, type DatabaseFileFacts } from '../store/file'
import { migrations } from '../store/migrations'
import { LOCK_FILE, runningPid } from '../../core/retention/run-lock'

export const DATABASE_FILE = 'booth.sqlite'

export class BackupError extends Error {
  override name = 'BackupError'
}

/** An online copy of the live database (SQLite's backup API): safe while the booth runs and writes. */
export async function backupDatabase(dataDir: string, toFile: string): Promise<{ pages: number }> {
  const source = join(dataDir, DATABASE_FILE)
  if (!existsSync(source)) throw new BackupError(`没有数据库：${source}`)
  if (existsSync(toFile)) throw new BackupError(`目标文件已存在：${toFile}`)
  return copyDatabaseFile(source, toFile)
}

/** Checks a file is a booth database this program can open: SQLite, intact, a known schema version. */
export function validateBackup(file: string): { schemaVersion: number; passages: number } {
  if (!existsSync(file)) throw new BackupError(`备份文件不存在：${file}`)
  let facts: DatabaseFileFacts
  try {
    facts = inspectDatabaseFile(file)
  } catch (error) {
    throw new BackupError(`不是有效的数据库文件：${(error as Error).message}`)
  }
  const { integrity, schemaVersion, tables, passages } = facts
  if (integrity !== 'ok') throw new BackupError(`备份文件已损坏：${integrity}`)
  if (schemaVersion < 1 || schemaVersion > migrations.length) {
    throw new BackupError(`备份的数据库版本 ${schemaVersion} 不被本程序支持（1–${migrations.length}）`)
  }
  for (const table of ['passages', 'photos', 'outbox']) if (!tables.includes(table)) throw new BackupError(`备份文件缺少数据表 ${table}`)
  return { schemaVersion, passages: passages! }
}

/**
 * Replaces the database with a validated backup. Refuses while a booth process holds the data folder. The replaced
 * database is kept beside it as booth.sqlite.before-restore-<time>; a newer schema is migrated at the next start.
 */
export function restoreDatabase(dataDir: string, fromFile: string, now = new Date()): { keptAs: string | null; passages: number } {
  const holder = runningPid(dataDir)
  if (holder !== null) throw new BackupError(`程序正在运行（进程 ${holder}），请先退出再恢复`)
  const { passages } = validateBackup(fromFile)
  const target = join(dataDir, DATABASE_FILE)
  let keptAs: string | null = null
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`
    // A clean shutdown leaves no -wal; a leftover one belongs to the old file and would corrupt the restored one.
    renameSync(target, keptAs)
    for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, keptAs + suffix)
  }
  const temp = `${target}.restoring`
  rmSync(temp, { force: true })
  copyFileSync(fromFile, temp)
  const fd = openSync(temp, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, target)
  // Its process is gone (checked above); the WAL it points to went with the replaced database.
  rmSync(join(dataDir, LOCK_FILE), { force: true })
  return { keptAs, passages }
}
