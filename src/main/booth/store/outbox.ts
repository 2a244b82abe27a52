import { PHOTO_KIND, type Claim, type DeadLetter, type FieldProblem, type InFlightAtCrash, type NewOutboxItem, type OutboxCounts, type OutboxItem, type OutboxKind, type OutboxLane, type Outcome } from '../../core/sync/queue'
import { withStatementCache, type Db } from './db'

export { PHOTO_KIND }
export type { DeadLetter, FieldProblem, InFlightAtCrash, NewOutboxItem, OutboxCounts, OutboxItem, OutboxKind, OutboxLane }

/** Fields to set in the pending rows of a passage, per kind of row (kinds not named keep their payload). */
export type PassagePatch = Partial<Record<OutboxKind, Record<string, string>>>

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
interface DeadRow extends OutboxRow {
  last_error: string | null
  dead_fields: string | null
  fixable: number | null
  created_at: number
  fixed_by: string | null
  fixed_at: number | null
}

/**
 * A pending row may go when nobody is sending it, its predecessor (if any) was accepted, and no earlier row of its
 * chain is still unaccepted, and no earlier released row of its order is still pending. Shared by `due` and
 * `nextDueAt` so the worker never wakes for a row it may not send.
 */
const ELIGIBLE = `o.state = 'pending' AND o.sending_since IS NULL
  AND (o.after_id IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.after_id AND p.state = 'done'))
  AND (o.chain IS NULL OR NOT EXISTS (SELECT 1 FROM outbox c WHERE c.chain = o.chain AND c.id < o.id AND c.state != 'done'))
  AND (o.order_key IS NULL OR NOT EXISTS (
    SELECT 1 FROM outbox r WHERE r.order_key = o.order_key AND r.state = 'pending' AND r.next_attempt_at <> ${HELD_UNTIL} AND r.id < o.id))`

/**
 * Each order's first pending row (the only one of its order that may go), from the order index alone. A row held for
 * its barrier outcome is not in the order yet: a truck waiting for the guard does not hold the gate's records back;
 * released, it goes ahead of the rows still waiting.
 */
const ORDER_HEADS = `SELECT MIN(id) FROM outbox INDEXED BY outbox_order_pending WHERE state = 'pending' AND order_key IS NOT NULL AND next_attempt_at <> ${HELD_UNTIL} GROUP BY order_key`

/** The outbox table. Callers add rows inside the transaction of the business write they belong to. */
export class Outbox {
  private readonly db: Db

  constructor(db: Db) {
    this.db = withStatementCache(db)
  }

  add(item: NewOutboxItem, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO outbox (kind, idem_key, passage_id, photo_id, after_id, chain, order_key, payload, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(item.kind, item.idemKey, item.passageId ?? null, item.photoId ?? null, item.afterId ?? null, item.chain ?? null, item.orderKey ?? null, JSON.stringify(item.payload), now, now)
    return Number(result.lastInsertRowid)
  }

  /** A row that waits for `releasePassage` before the worker may send it. */
  addHeld(item: NewOutboxItem, now: number): number {
    const id = this.add(item, now)
    this.db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE id = ?`).run(HELD_UNTIL, id)
    return id
  }

  /**
   * Sets `patch[kind]`'s fields in the payload of every row of a passage not yet accepted (pending or held), and with
   * `release` makes held rows due now. Returns how many rows were patched.
   */
  patchPassage(passageId: number, patch: PassagePatch, now: number, release: boolean): number {
    const rows = this.db
      .prepare(`SELECT id, kind, idem_key, passage_id, photo_id, payload, attempts FROM outbox WHERE passage_id = ? AND state = 'pending' ORDER BY id`)
      .all(passageId) as OutboxRow[]
    const update = this.db.prepare(
      `UPDATE outbox SET payload = ?, next_attempt_at = CASE WHEN ? AND next_attempt_at = ${HELD_UNTIL} THEN ? ELSE next_attempt_at END WHERE id = ?`
    )
    for (const row of rows) update.run(JSON.stringify({ ...toItem(row).payload, ...patch[row.kind] }), release ? 1 : 0, now, row.id)
    return rows.length
  }

  /** The passage's driving-record row, and whether it is still held for the barrier outcome. */
  recordRowOf(passageId: number): { id: number; held: boolean } | null {
    const row = this.db
      .prepare(`SELECT id, next_attempt_at = ${HELD_UNTIL} AS held FROM outbox WHERE passage_id = ? AND kind = 'shareDrivingRecord'`)
      .get(passageId) as { id: number; held: number } | undefined
    return row ? { id: row.id, held: row.held === 1 } : null
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

  /**
   * Rows due now that may be sent, oldest first: of every kind, or only the put_data records (every kind but
   * photos) or only the photos, so the worker can send records ahead of photo uploads.
   */
  due(now: number, limit: number, only?: OutboxLane): OutboxItem[] {
    const lane = only === undefined ? '' : `AND o.kind ${only === 'photos' ? '=' : '!='} '${PHOTO_KIND}'`
    // Each lane walks its own pending rows: walking all of them, records stepped over the photos of every record
    // already sent, so each claim while a backlog's records drained cost O(records sent).
    const index = only === undefined ? 'outbox_pending_unordered' : only === 'photos' ? 'outbox_pending_photos' : 'outbox_pending_records'
    const rows = this.db
      .prepare(
        // Walk pending rows in id order and stop at `limit`: sorting every due row first costs O(backlog) per call.
        `SELECT o.id, o.kind, o.idem_key, o.passage_id, o.photo_id, o.payload, o.attempts
           FROM outbox o INDEXED BY ${index}
          WHERE o.order_key IS NULL AND o.next_attempt_at <= ? ${lane} AND ${ELIGIBLE}
          ORDER BY o.id
          LIMIT ?`
      )
      .all(now, limit) as OutboxRow[]
    // Order keys are given to driving records only.
    const heads = only === 'photos' ? [] : this.orderHeads(now, lane)
    return [...rows, ...heads].sort((a, b) => a.id - b.id).slice(0, limit).map(toItem)
  }

  /**
   * Of the rows with an order key only each order's first pending row can go: the heads come from the order index
   * alone (an edge booth has one gate), then each is looked up by id, so a claim never checks an order's backlog row
   * by row — nor, as one joined query did without table statistics, every pending row of a booth that orders none.
   */
  private orderHeads(now: number, lane: string): OutboxRow[] {
    const heads = this.orderHeadIds()
    if (heads.length === 0) return []
    const head = this.db.prepare(
      `SELECT o.id, o.kind, o.idem_key, o.passage_id, o.photo_id, o.payload, o.attempts FROM outbox o
        WHERE o.id = ? AND o.next_attempt_at <= ? ${lane} AND ${ELIGIBLE}`
    )
    return heads.flatMap((id) => (head.get(id, now) as OutboxRow | undefined) ?? [])
  }

  private orderHeadIds(): number[] {
    return this.db.prepare(ORDER_HEADS).pluck().all() as number[]
  }

  /** When the next sendable row becomes due, or null when nothing may be sent. */
  nextDueAt(): number | null {
    const unordered = this.db.prepare(`SELECT MIN(o.next_attempt_at) AS at FROM outbox o WHERE o.order_key IS NULL AND ${ELIGIBLE}`).get() as { at: number | null }
    const headDue = this.db.prepare(`SELECT o.next_attempt_at AS at FROM outbox o WHERE o.id = ? AND ${ELIGIBLE}`)
    const dues = [unordered.at, ...this.orderHeadIds().map((id) => (headDue.get(id) as { at: number } | undefined)?.at ?? null)]
    const known = dues.filter((at): at is number => at !== null)
    return known.length === 0 ? null : Math.min(...known)
  }

  /** Claims rows for sending (committed before any of them is sent), so a crash mid-send is recognised at the next start. */
  markSending(ids: readonly number[], now: number): void {
    const mark = this.db.prepare(`UPDATE outbox SET sending_since = ? WHERE id = ? AND state = 'pending'`)
    this.db.transaction(() => {
      for (const id of ids) mark.run(now, id)
    })()
  }

  /** Gives claimed rows back unsent (the worker stopped before their turn). */
  release(ids: readonly number[]): void {
    const release = this.db.prepare(`UPDATE outbox SET sending_since = NULL WHERE id = ?`)
    this.db.transaction(() => {
      for (const id of ids) release.run(id)
    })()
  }

  /**
   * At start: the rows that were in flight when the booth died. They stay pending and go out again with the same
   * idempotency key (lsh / lsh_zpbh), which is how the platform recognises the resend.
   */
  recoverInFlight(): InFlightAtCrash[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT id, kind, idem_key AS idemKey FROM outbox WHERE sending_since IS NOT NULL ORDER BY id`)
        .all() as InFlightAtCrash[]
      this.db.prepare(`UPDATE outbox SET sending_since = NULL WHERE sending_since IS NOT NULL`).run()
      return rows
    })()
  }

  markDone(id: number, reply: unknown, now: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'done', attempts = attempts + 1, reply = ?, last_error = NULL, done_at = ?, sending_since = NULL WHERE id = ?`
      )
      .run(JSON.stringify(reply), now, id)
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.db
      .prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, sending_since = NULL WHERE id = ?`)
      .run(error, nextAttemptAt, id)
  }

  /**
   * Makes every pending row that is backing off due now (the platform answered again), but those in `except`; held
   * rows stay held.
   */
  resumeBackedOff(now: number, except: readonly number[] = []): void {
    this.db
      .prepare(
        `UPDATE outbox SET next_attempt_at = ?
          WHERE state = 'pending' AND next_attempt_at > ? AND next_attempt_at != ${HELD_UNTIL} AND id NOT IN (SELECT value FROM json_each(?))`
      )
      .run(now, now, JSON.stringify(except))
  }

  /** Dead letter: kept with its reasons until someone fixes and re-queues it; never deleted. */
  markDead(id: number, dead: { reason: string; reply: unknown; fields: FieldProblem[]; fixable: boolean; countAttempt: boolean }): void {
    this.db
      .prepare(
        `UPDATE outbox SET state = 'dead', attempts = attempts + ?, last_error = ?, reply = ?, dead_fields = ?, fixable = ?, sending_since = NULL
          WHERE id = ?`
      )
      .run(dead.countAttempt ? 1 : 0, dead.reason, JSON.stringify(dead.reply ?? null), JSON.stringify(dead.fields), dead.fixable ? 1 : 0, id)
  }

  /** Writes one outcome of the sync worker (inside the caller's transaction). */
  settle(outcome: Outcome): void {
    switch (outcome.kind) {
      case 'done':
        this.markDone(outcome.id, outcome.reply, outcome.at)
        if (outcome.resumeBackedOff) this.resumeBackedOff(outcome.at, outcome.resumeBackedOff.except)
        return
      case 'retry':
        return this.markRetry(outcome.id, outcome.error, outcome.nextAttemptAt)
      case 'dead':
        return this.markDead(outcome.id, outcome)
    }
  }

  /**
   * Claims up to `limit` sendable rows (inside the caller's transaction): put_data records first, photos only for
   * what the records leave, so a record never queues behind photo uploads.
   */
  claim({ now, limit, records: lookForRecords }: Claim): OutboxItem[] {
    const records = lookForRecords ? this.due(now, limit, 'records') : []
    const photos = records.length < limit ? this.due(now, limit - records.length, 'photos') : []
    const items = [...records, ...photos]
    this.markSending(
      items.map((item) => item.id),
      now
    )
    return items
  }

  get(id: number): OutboxItem | null {
    const row = this.db.prepare(`SELECT id, kind, idem_key, passage_id, photo_id, payload, attempts FROM outbox WHERE id = ?`).get(id) as
      | OutboxRow
      | undefined
    return row ? toItem(row) : null
  }

  deadLetters(limit: number): DeadLetter[] {
    return (this.db.prepare(`${SELECT_DEAD} ORDER BY id LIMIT ?`).all(limit) as DeadRow[]).map(toDeadLetter)
  }

  deadLetter(id: number): DeadLetter | null {
    const row = this.db.prepare(`${SELECT_DEAD} AND id = ?`).get(id) as DeadRow | undefined
    return row ? toDeadLetter(row) : null
  }


  /**
   * Corrects fields of a dead letter's payload. The first fix keeps the payload as recorded in original_payload, so
   * what the booth recorded and what an admin changed stay distinguishable. False when `id` is not a dead letter.
   */
  fix(id: number, changes: Record<string, string>, fixedBy: string, now: number): boolean {
    return this.db.transaction(() => {
      const item = this.get(id)
      if (!item) return false
      const result = this.db
        .prepare(
          `UPDATE outbox SET original_payload = COALESCE(original_payload, payload), payload = ?, fixed_by = ?, fixed_at = ? WHERE id = ? AND state = 'dead'`
        )
        .run(JSON.stringify({ ...item.payload, ...changes }), fixedBy, now, id)
      return result.changes === 1
    })()
  }

  /** A dead letter goes back to the queue, due now. Returns false when the row is not a dead letter. */
  requeue(id: number, now: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = NULL, dead_fields = NULL, fixable = NULL, reply = NULL
          WHERE id = ? AND state = 'dead'`
      )
      .run(now, id)
    return result.changes === 1
  }

  state(id: number): 'pending' | 'done' | 'dead' | null {
    const row = this.db.prepare(`SELECT state FROM outbox WHERE id = ?`).get(id) as { state: 'pending' | 'done' | 'dead' } | undefined
    return row?.state ?? null
  }

  /** Pending photo rows with the file each points to, for the start-up check that their files still exist. */
  pendingPhotoFiles(): { id: number; path: string | null }[] {
    return this.db
      .prepare(
        `SELECT o.id, ph.path FROM outbox o LEFT JOIN photos ph ON ph.id = o.photo_id WHERE o.state = 'pending' AND o.kind = 'sharePhotoInfo'`
      )
      .all() as { id: number; path: string | null }[]
  }

  /**
   * Compaction: accepted rows older than `doneBefore` lose their payload and keep only the platform's code and status,
   * so the table stays small while the proof of upload (key, time, answer) remains. Returns the rows compacted.
   */
  compact(doneBefore: number, now: number): number {
    const rows = this.db
      .prepare(`SELECT id, reply FROM outbox WHERE state = 'done' AND compacted_at IS NULL AND done_at < ?`)
      .all(doneBefore) as { id: number; reply: string | null }[]
    const update = this.db.prepare(`UPDATE outbox SET payload = '{}', reply = ?, compacted_at = ? WHERE id = ?`)
    this.db.transaction(() => {
      for (const row of rows) update.run(JSON.stringify(replySummary(row.reply)), now, row.id)
    })()
    return rows.length
  }

  counts(): OutboxCounts {
    const byKind = this.db
      .prepare(`SELECT kind, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = 'pending' GROUP BY kind`)
      .all() as { kind: string; n: number; oldest: number }[]
    const dead = this.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'dead'`).get() as { n: number }
    const oldest = byKind.length > 0 ? Math.min(...byKind.map((row) => row.oldest)) : null
    return {
      pending: byKind.reduce((sum, row) => sum + row.n, 0),
      dead: dead.n,
      pendingByKind: Object.fromEntries(byKind.map((row) => [row.kind, row.n])),
      oldestPendingAt: oldest
    }
  }
}

const SELECT_DEAD = `SELECT id, kind, idem_key, passage_id, photo_id, payload, attempts, last_error, dead_fields, fixable, created_at, fixed_by, fixed_at
  FROM outbox WHERE state = 'dead'`

function toDeadLetter(row: DeadRow): DeadLetter {
  return {
    ...toItem(row),
    reason: row.last_error ?? '',
    fields: row.dead_fields ? (JSON.parse(row.dead_fields) as FieldProblem[]) : [],
    fixable: row.fixable === 1,
    createdAt: row.created_at,
    fixedBy: row.fixed_by,
    fixedAt: row.fixed_at
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

function replySummary(reply: string | null): unknown {
  if (!reply) return null
  const parsed = JSON.parse(reply) as Record<string, unknown> | null
  if (typeof parsed !== 'object' || parsed === null) return parsed
  const { code, status, result } = parsed
  return { code, status, result }
}
