import type { Db } from './db'

/** What the sync worker sends: one row per platform call, keyed by (kind, idempotency key). */
export type OutboxKind = 'shareDrivingRecord' | 'sharePhotoInfo'

export interface OutboxItem {
  id: number
  kind: OutboxKind
  idemKey: string
  passageId: number | null
  photoId: number | null
  /** The spec `value` object as recorded (no token; photos carry their bytes on disk, not here). */
  payload: Record<string, string>
  attempts: number
}

export interface NewOutboxItem {
  kind: OutboxKind
  idemKey: string
  passageId?: number
  photoId?: number
  /** Must not be sent before this row has been accepted (a photo waits for its passage record). */
  afterId?: number
  payload: Record<string, string>
}

export interface OutboxCounts {
  pending: number
  dead: number
}

interface OutboxRow {
  id: number
  kind: OutboxKind
  idem_key: string
  passage_id: number | null
  photo_id: number | null
  payload: string
  attempts: number
}

/**
 * next_attempt_at of a row held back until its passage's barrier outcome is known: never due, still pending.
 * (Year 2255: far beyond any real schedule, well inside a JS Date.)
 */
const HELD_UNTIL = 9_000_000_000_000

/** The outbox table. Callers add rows inside the transaction of the business write they belong to. */
export class Outbox {
  constructor(private readonly db: Db) {}

  add(item: NewOutboxItem, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO outbox (kind, idem_key, passage_id, photo_id, after_id, payload, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(item.kind, item.idemKey, item.passageId ?? null, item.photoId ?? null, item.afterId ?? null, JSON.stringify(item.payload), now, now)
    return Number(result.lastInsertRowid)
  }

  /** A row that waits for `releasePassage` before the worker may send it. */
  addHeld(item: NewOutboxItem, now: number): number {
    const id = this.add(item, now)
    this.db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE id = ?`).run(HELD_UNTIL, id)
    return id
  }

  /**
   * Rewrites the payload of every row of a passage not yet accepted (pending or held) with `patch`, and makes held
   * rows due now. Returns how many rows were patched.
   */
  patchPassage(passageId: number, patch: (item: OutboxItem) => Record<string, string>, now: number, release: boolean): number {
    const rows = this.db
      .prepare(`SELECT id, kind, idem_key, passage_id, photo_id, payload, attempts FROM outbox WHERE passage_id = ? AND state = 'pending' ORDER BY id`)
      .all(passageId) as OutboxRow[]
    const update = this.db.prepare(
      `UPDATE outbox SET payload = ?, next_attempt_at = CASE WHEN ? AND next_attempt_at = ${HELD_UNTIL} THEN ? ELSE next_attempt_at END WHERE id = ?`
    )
    for (const row of rows) update.run(JSON.stringify(patch(toItem(row))), release ? 1 : 0, now, row.id)
    return rows.length
  }

  /** Whether the passage's record of `kind` has been accepted by the platform. */
  isSent(passageId: number, kind: OutboxKind): boolean {
    return this.db.prepare(`SELECT 1 FROM outbox WHERE passage_id = ? AND kind = ? AND state = 'done'`).get(passageId, kind) !== undefined
  }

  /** Passages with rows still held (their barrier outcome never came, e.g. the booth stopped mid-passage). */
  heldPassageIds(): number[] {
    return (this.db.prepare(`SELECT DISTINCT passage_id AS id FROM outbox WHERE next_attempt_at = ${HELD_UNTIL} AND passage_id IS NOT NULL`).all() as { id: number }[]).map(
      (row) => row.id
    )
  }

  /** Rows due now whose predecessor (if any) was accepted, oldest first. */
  due(now: number, limit: number): OutboxItem[] {
    const rows = this.db
      .prepare(
        `SELECT o.id, o.kind, o.idem_key, o.passage_id, o.photo_id, o.payload, o.attempts
           FROM outbox o
          WHERE o.state = 'pending' AND o.next_attempt_at <= ?
            AND (o.after_id IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.after_id AND p.state = 'done'))
          ORDER BY o.id
          LIMIT ?`
      )
      .all(now, limit) as OutboxRow[]
    return rows.map(toItem)
  }

  /** When the next pending row becomes due, or null when nothing is pending. */
  nextDueAt(): number | null {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as { at: number | null }
    return row.at
  }

  markDone(id: number, reply: unknown, now: number): void {
    this.db
      .prepare(`UPDATE outbox SET state = 'done', attempts = attempts + 1, reply = ?, last_error = NULL, done_at = ? WHERE id = ?`)
      .run(JSON.stringify(reply), now, id)
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.db.prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`).run(error, nextAttemptAt, id)
  }

  /** Dead letter: kept with its reasons until someone fixes and re-queues it; never deleted. */
  markDead(id: number, error: string, reply: unknown): void {
    this.db
      .prepare(`UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, reply = ? WHERE id = ?`)
      .run(error, JSON.stringify(reply ?? null), id)
  }

  counts(): OutboxCounts {
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'dead'), 0) AS dead FROM outbox`
      )
      .get() as OutboxCounts
    return row
  }
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    idemKey: row.idem_key,
    passageId: row.passage_id,
    photoId: row.photo_id,
    payload: JSON.parse(row.payload) as Record<string, string>,
    attempts: row.attempts
  }
}
