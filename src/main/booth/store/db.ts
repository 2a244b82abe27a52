import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations'

export type Db = Database.Database

/**
 * Opens (creating if needed) the booth database: WAL so the UI can read while the lane writes, synchronous=FULL so
 * a committed passage survives a power cut, foreign keys on, and every pending migration applied.
 */
export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true })
  // Under Electron the addon must be built for Electron's ABI; scripts/start.mjs prepares one and names it here.
  const nativeBinding = process.env.GATE_SQLITE_BINDING
  const db = new Database(file, nativeBinding ? { nativeBinding } : {})
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this program (${migrations.length}); upgrade the program`)
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}

/**
 * The same database, whose prepare() compiles each SQL text once and hands back that statement afterwards: for the
 * sync worker's per-row writes, where compiling the statement cost several times running it. Only for classes whose
 * statements are not put into another mode (pluck/raw/expand) under a text another caller uses without it.
 */
export function withStatementCache(db: Db): Db {
  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return prepare
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  })
}
