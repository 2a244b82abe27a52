import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Role } from '@shared/contract'
import type { EntityLedger } from '../../core/ledgers/fields'
import type { PassageUpWire, PhotoHeader } from '../../core/plant-link'
import { ENTITY_TABLES } from './ledgers'
import type { PassageTableRow } from './passages'

/** A photo as the plant takes it over: its index entry, and where its file is on this booth. */
export interface PhotoExport extends PhotoHeader {
  lsh: string
  zpbh: string
  file: string
}

/** What moves from a standalone booth into a new plant (docs/plant.md, "Upgrade"). */
export interface BoothExport {
  /** Passages in id order, each with its record and, when the city platform accepted it, when. */
  passages(afterId: number, limit: number): { lastId: number; passages: PassageUpWire[]; photos: PhotoExport[] }
  users(): { username: string; name: string; role: Role; passwordHash: string }[]
  lists(): { kind: 'white' | 'black'; plate: string; note: string; expiresAt: number | null }[]
  /** The entity ledgers' rows, by their key (`license/licenseColor`, `mhyPlate`), fields by spec name. */
  ledgerRows(): { ledger: EntityLedger; key: string; fields: Record<string, string> }[]
  close(): void
}

/** A passage with its driving record's outbox row. */
interface Row extends PassageTableRow {
  payload: string | null
  state: string | null
  done_at: number | null
}

/**
 * Opens a booth's data folder read-only (the booth stopped) for the move into a plant. A row the city platform
 * accepted carries `acceptedAt`, so the plant keeps it as accepted and never sends it again; rows held for a barrier
 * outcome that never came go as recorded.
 */
export function openBoothExport(dataDir: string): BoothExport {
  const db = new Database(join(dataDir, 'booth.sqlite'), { readonly: true, fileMustExist: true })
  const photoRoot = join(dataDir, 'photos')
  return {
    passages(afterId, limit) {
      const rows = db
        .prepare(
          `SELECT p.*, o.payload, o.state, o.done_at FROM passages p
             LEFT JOIN outbox o ON o.passage_id = p.id AND o.kind = 'shareDrivingRecord'
            WHERE p.id > ? ORDER BY p.id LIMIT ?`
        )
        .all(afterId, limit) as Row[]
      const lastId = rows.at(-1)?.id ?? afterId
      const photos = db
        .prepare(
          `SELECT p.lsh, ph.zpbh, ph.zplx, ph.path, ph.taken_at, o.payload, o.state, o.done_at FROM photos ph
             JOIN passages p ON p.id = ph.passage_id
             LEFT JOIN outbox o ON o.photo_id = ph.id AND o.kind = 'sharePhotoInfo'
            WHERE ph.passage_id > ? AND ph.passage_id <= ? AND ph.zpbh IN ('1', '2') ORDER BY ph.id`
        )
        .all(afterId, lastId) as { lsh: string; zpbh: string; zplx: string; path: string; taken_at: number; payload: string | null; state: string | null; done_at: number | null }[]
      return {
        lastId,
        passages: rows.map((row) => ({
          lsh: row.lsh,
          laneId: row.lane_id,
          gateCode: row.gate_code,
          direction: row.direction,
          plate: row.plate,
          plateColour: row.plate_colour,
          recognizedAt: row.recognized_at,
          tgsjq: row.tgsjq,
          tgsjz: row.tgsjz,
          decision: row.decision,
          reasonCode: row.reason_code,
          reasonText: row.reason_text,
          decidedOffline: row.decided_offline === 1,
          verdict: row.verdict_json ? JSON.parse(row.verdict_json) : null,
          bgzt: row.bgzt,
          source: row.source,
          gateSignal: row.gate_signal,
          forced: row.forced === 1,
          originalPlate: row.original_plate,
          originalPlateColour: row.original_plate_colour,
          vehicleClass: row.vehicle_class,
          record: row.payload ? (JSON.parse(row.payload) as Record<string, string>) : {},
          ...(row.state === 'done' && row.done_at !== null ? { acceptedAt: row.done_at } : {})
        })),
        photos: photos.map((photo) => ({
          lsh: photo.lsh,
          zpbh: photo.zpbh,
          zplx: photo.zplx,
          takenAt: photo.taken_at,
          record: photo.payload ? (JSON.parse(photo.payload) as Record<string, string>) : {},
          file: join(photoRoot, photo.path),
          ...(photo.state === 'done' && photo.done_at !== null ? { acceptedAt: photo.done_at } : {})
        }))
      }
    },
    users: () =>
      (db.prepare('SELECT username, name, role, password_hash FROM users ORDER BY id').all() as { username: string; name: string; role: Role; password_hash: string }[]).map(
        (user) => ({ username: user.username, name: user.name, role: user.role, passwordHash: user.password_hash })
      ),
    lists: () =>
      db.prepare('SELECT kind, plate, note, expires_at AS expiresAt FROM local_lists ORDER BY kind, plate').all() as { kind: 'white' | 'black'; plate: string; note: string; expiresAt: number | null }[],
    ledgerRows: () =>
      (Object.keys(ENTITY_TABLES) as EntityLedger[]).flatMap((ledger) => {
        const table = ENTITY_TABLES[ledger]
        return (db.prepare(`SELECT * FROM ${table.table} ORDER BY id`).all() as Record<string, unknown>[]).map((row) => {
          const fields = Object.fromEntries(table.fields.map((field) => [field, String(row[table.columns[field]!] ?? '')]))
          return { ledger, key: table.key.map((field) => fields[field]).join('/'), fields }
        })
      }),
    close: () => db.close()
  }
}
