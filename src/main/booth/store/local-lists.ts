import type { LocalListEntry } from '@shared/contract'
import { localListEntry, type LocalListRow } from '../../core/policy/repo'
import type { Db } from './db'

type Kind = LocalListEntry['kind']

/** The plant's own whitelist and blacklist, keyed by normalised plate (any colour). */
export class LocalLists {
  constructor(private readonly db: Db) {}

  list(kind?: Kind): LocalListEntry[] {
    const rows = (
      kind
        ? this.db.prepare('SELECT * FROM local_lists WHERE kind = ? ORDER BY plate').all(kind)
        : this.db.prepare('SELECT * FROM local_lists ORDER BY kind, plate').all()
    ) as LocalListRow[]
    return rows.map(localListEntry)
  }

  /** On the list and not expired at `now`. */
  has(kind: Kind, plate: string, now: number): boolean {
    return this.db.prepare('SELECT 1 FROM local_lists WHERE kind = ? AND plate = ? AND (expires_at IS NULL OR expires_at > ?)').get(kind, plate, now) !== undefined
  }

  /** Adds the plate, or renews it (note, validity) when it is on the list. `expiresAt` null: permanent. */
  add(kind: Kind, plate: string, note: string, by: string, now: number, expiresAt: number | null = null): LocalListEntry {
    this.db
      .prepare(
        `INSERT INTO local_lists (kind, plate, note, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, plate) DO UPDATE SET note = excluded.note, created_at = excluded.created_at, created_by = excluded.created_by,
           expires_at = excluded.expires_at`
      )
      .run(kind, plate, note, now, by, expiresAt)
    return localListEntry(this.db.prepare('SELECT * FROM local_lists WHERE kind = ? AND plate = ?').get(kind, plate) as LocalListRow)
  }

  remove(kind: Kind, plate: string): boolean {
    return this.db.prepare('DELETE FROM local_lists WHERE kind = ? AND plate = ?').run(kind, plate).changes > 0
  }
}
