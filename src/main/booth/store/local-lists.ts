import type { LocalListEntry } from '@shared/contract'
import type { Db } from './db'
import { isoOf } from '../../core/time'

type Kind = LocalListEntry['kind']

interface Row {
  kind: Kind
  plate: string
  note: string
  created_at: number
  created_by: string
}

/** The plant's own whitelist and blacklist, keyed by normalised plate (any colour). */
export class LocalLists {
  constructor(private readonly db: Db) {}

  list(kind?: Kind): LocalListEntry[] {
    const rows = (
      kind
        ? this.db.prepare('SELECT * FROM local_lists WHERE kind = ? ORDER BY plate').all(kind)
        : this.db.prepare('SELECT * FROM local_lists ORDER BY kind, plate').all()
    ) as Row[]
    return rows.map(toEntry)
  }

  has(kind: Kind, plate: string): boolean {
    return this.db.prepare('SELECT 1 FROM local_lists WHERE kind = ? AND plate = ?').get(kind, plate) !== undefined
  }

  add(kind: Kind, plate: string, note: string, by: string, now: number): LocalListEntry {
    this.db
      .prepare(
        `INSERT INTO local_lists (kind, plate, note, created_at, created_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, plate) DO UPDATE SET note = excluded.note, created_at = excluded.created_at, created_by = excluded.created_by`
      )
      .run(kind, plate, note, now, by)
    return toEntry(this.db.prepare('SELECT * FROM local_lists WHERE kind = ? AND plate = ?').get(kind, plate) as Row)
  }

  remove(kind: Kind, plate: string): boolean {
    return this.db.prepare('DELETE FROM local_lists WHERE kind = ? AND plate = ?').run(kind, plate).changes > 0
  }
}

function toEntry(row: Row): LocalListEntry {
  return { kind: row.kind, plate: row.plate, note: row.note, createdAt: isoOf(row.created_at), createdBy: row.created_by }
}
