import Database from 'better-sqlite3'

/** An online copy of a live database file (SQLite's backup API): safe while the booth runs and writes. */
export async function copyDatabaseFile(source: string, toFile: string): Promise<{ pages: number }> {
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    const result = await db.backup(toFile)
    return { pages: result.totalPages }
  } finally {
    db.close()
  }
}

export interface DatabaseFileFacts {
  /** 'ok', or what SQLite's integrity check found. */
  integrity: string
  schemaVersion: number
  tables: string[]
  /** Counted only in an intact file that has the table. */
  passages: number | null
}

/** Opens a database file read-only and says what it holds; throws when it is not a readable SQLite file. */
export function inspectDatabaseFile(file: string): DatabaseFileFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }))
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]
    const passages = integrity === 'ok' && tables.includes('passages') ? (db.prepare('SELECT COUNT(*) FROM passages').pluck().get() as number) : null
    return { integrity, schemaVersion, tables, passages }
  } finally {
    db.close()
  }
}
