import { randomInt } from 'node:crypto'
import type pg from 'pg'
import {
  PHOTO_KIND,
  type Claim,
  type Commit,
  type DeadLetter,
  type FieldProblem,
  type InFlightAtCrash,
  type NewOutboxItem,
  type OutboxCounts,
  type OutboxItem,
  type OutboxKind,
  type OutboxLane,
  type OutboxQueue,
  type Outcome
} from '../../core/sync/queue'
import { inTransaction, LOCKS, openClient, type Client, type Pool, type PoolOptions, type Queryable } from './pool'

interface OutboxRow {
  id: number
  kind: OutboxKind
  idem_key: string
  passage_id: number | null
  photo_id: number | null
  payload: Record<string, string>
  attempts: number
}

interface DeadRow extends OutboxRow {
  last_error: string | null
  dead_fields: FieldProblem[] | null
  fixable: boolean | null
  created_at: number
  fixed_by: string | null
  fixed_at: number | null
}

const ITEM_COLUMNS = 'o.id, o.kind, o.idem_key, o.passage_id, o.photo_id, o.payload, o.attempts'

/**
 * As on the booth (booth/store/outbox.ts): nobody sends it, its predecessor was accepted, its chain's earlier rows too,
 * and no earlier row of its order (a gate's driving records) is still pending.
 */
const ELIGIBLE = `o.state = 'pending' AND o.claimed_by IS NULL
  AND (o.after_id IS NULL OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.after_id AND p.state = 'done'))
  AND (o.chain IS NULL OR NOT EXISTS (SELECT 1 FROM outbox c WHERE c.chain = o.chain AND c.id < o.id AND c.state <> 'done'))
  AND (o.order_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox r WHERE r.order_key = o.order_key AND r.state = 'pending' AND r.id < o.id))`

/** Claimed rows whose owner no longer holds its advisory lock (its process or connection died). */
const ORPHANED = `o.claimed_by IS NOT NULL AND o.claimed_by::bigint NOT IN (
  SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = ${LOCKS.outboxOwner} AND objsubid = 2 AND granted)`

/** How often a running queue looks for rows a dead plant process had claimed. */
const ORPHAN_CHECK_MS = 5_000

/** Adds a row (inside the caller's transaction) unless its (kind, key) is already there. Returns its id, or null. */
export async function addOutboxRow(client: Queryable, item: NewOutboxItem, now: number): Promise<number | null> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO outbox (kind, idem_key, passage_id, photo_id, after_id, chain, order_key, payload, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (kind, idem_key) DO NOTHING RETURNING id`,
    [item.kind, item.idemKey, item.passageId ?? null, item.photoId ?? null, item.afterId ?? null, item.chain ?? null, item.orderKey ?? null, item.payload, now]
  )
  return rows[0]?.id ?? null
}

/**
 * The city-platform outbox on PostgreSQL, shared by every plant process: a claim is `FOR UPDATE SKIP LOCKED` and
 * names this process's owner number, which it holds an advisory lock on through its own connection for as long as
 * it lives. When a plant process dies (or its connection does), the server drops the lock, and its claimed rows are
 * taken back by the next `recoverInFlight` or claim of any process: resent with the same key, as after a booth crash.
 * An outcome is written only while this process still owns the row, so a row taken over is settled by its new owner.
 */
export class PgOutboxQueue implements OutboxQueue {
  private owner = 0
  private ownerClient: pg.Client | null = null
  private lastOrphanCheck = -Infinity

  constructor(
    private readonly pool: Pool,
    private readonly connection: PoolOptions
  ) {}

  /** The owner number of this process (for tests and the log). */
  get ownerId(): number {
    return this.owner
  }

  /** Takes a fresh owner number and holds its advisory lock until `close` (or until the connection is lost). */
  async open(): Promise<void> {
    const client = openClient(this.connection)
    await client.connect()
    for (;;) {
      const owner = randomInt(1, 2 ** 31 - 1)
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCKS.outboxOwner, owner])
      if (rows[0]?.ok) {
        this.owner = owner
        break
      }
    }
    const lost = () => {
      if (this.ownerClient === client) this.ownerClient = null
    }
    client.on('error', lost)
    client.on('end', lost)
    this.ownerClient = client
  }

  async close(): Promise<void> {
    const client = this.ownerClient
    this.ownerClient = null
    await client?.end().catch(() => undefined)
  }

  /** A claim needs a live owner lock: after a lost connection, a new owner (the old claims are orphans now). */
  private async ensureOwner(): Promise<void> {
    if (this.ownerClient) return
    await this.open()
  }

  async commit({ outcomes, release, claim }: Commit): Promise<OutboxItem[]> {
    await this.ensureOwner()
    return inTransaction(this.pool, async (client) => {
      for (const outcome of outcomes) await this.settle(client, outcome)
      if (release && release.length > 0) {
        await client.query('UPDATE outbox SET claimed_by = NULL, sending_since = NULL WHERE id = ANY($1) AND claimed_by = $2', [release, this.owner])
      }
      if (!claim || claim.limit <= 0) return []
      if (claim.now - this.lastOrphanCheck >= ORPHAN_CHECK_MS) {
        this.lastOrphanCheck = claim.now
        await client.query(`UPDATE outbox o SET claimed_by = NULL, sending_since = NULL WHERE ${ORPHANED}`)
      }
      return this.claim(client, claim)
    })
  }

  private async settle(client: Client, outcome: Outcome): Promise<void> {
    const mine = 'id = $1 AND claimed_by = $2'
    switch (outcome.kind) {
      case 'done': {
        const { rowCount } = await client.query(
          `UPDATE outbox SET state = 'done', attempts = attempts + 1, reply = $3, last_error = NULL, done_at = $4, claimed_by = NULL, sending_since = NULL
            WHERE ${mine}`,
          [outcome.id, this.owner, JSON.stringify(outcome.reply ?? null), outcome.at]
        )
        if (rowCount === 1 && outcome.resumeBackedOff) {
          await client.query(`UPDATE outbox SET next_attempt_at = $1 WHERE state = 'pending' AND next_attempt_at > $1 AND NOT (id = ANY($2))`, [
            outcome.at,
            outcome.resumeBackedOff.except
          ])
        }
        return
      }
      case 'retry':
        await client.query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4, claimed_by = NULL, sending_since = NULL WHERE ${mine}`,
          [outcome.id, this.owner, outcome.error, outcome.nextAttemptAt]
        )
        return
      case 'dead':
        await client.query(
          `UPDATE outbox SET state = 'dead', attempts = attempts + $3, last_error = $4, reply = $5, dead_fields = $6, fixable = $7,
                  claimed_by = NULL, sending_since = NULL
            WHERE ${mine}`,
          [outcome.id, this.owner, outcome.countAttempt ? 1 : 0, outcome.reason, JSON.stringify(outcome.reply ?? null), JSON.stringify(outcome.fields), outcome.fixable]
        )
    }
  }

  /** Records first, photos only for what they leave; rows another process is claiming right now are skipped. */
  private async claim(client: Client, { now, limit, records: lookForRecords }: Claim): Promise<OutboxItem[]> {
    const records = lookForRecords ? await this.due(client, now, limit, 'records') : []
    const photos = records.length < limit ? await this.due(client, now, limit - records.length, 'photos') : []
    const items = [...records, ...photos]
    if (items.length > 0) {
      await client.query('UPDATE outbox SET claimed_by = $1, sending_since = $2 WHERE id = ANY($3)', [this.owner, now, items.map((item) => item.id)])
    }
    return items
  }

  private async due(client: Client, now: number, limit: number, lane: OutboxLane): Promise<OutboxItem[]> {
    const kind = `o.kind ${lane === 'photos' ? '=' : '<>'} '${PHOTO_KIND}'`
    const { rows } = await client.query<OutboxRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o
        WHERE o.order_key IS NULL AND o.next_attempt_at <= $1 AND ${kind} AND ${ELIGIBLE}
        ORDER BY o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED`,
      [now, limit]
    )
    if (lane === 'photos') return rows.map(toItem) // order keys are given to driving records only
    // Of the rows with an order key only each order's first pending row can go (`orderHeads`), so a claim never walks
    // an order's backlog. Looked up by id in a statement of their own: joined, the planner checks every pending row.
    const heads = await client.query<OutboxRow>(
      `SELECT ${ITEM_COLUMNS} FROM outbox o WHERE o.id = ANY($2) AND o.next_attempt_at <= $1 AND ${kind} AND ${ELIGIBLE} FOR UPDATE OF o SKIP LOCKED`,
      [now, await orderHeads(client)]
    )
    return [...rows, ...heads.rows].sort((a, b) => a.id - b.id).slice(0, limit).map(toItem)
  }

  async recoverInFlight(): Promise<InFlightAtCrash[]> {
    await this.ensureOwner()
    const { rows } = await this.pool.query<{ id: number; kind: OutboxKind; idem_key: string }>(
      `UPDATE outbox o SET claimed_by = NULL, sending_since = NULL WHERE ${ORPHANED} RETURNING o.id, o.kind, o.idem_key`
    )
    return rows.sort((a, b) => a.id - b.id).map((row) => ({ id: row.id, kind: row.kind, idemKey: row.idem_key }))
  }

  async nextDueAt(): Promise<number | null> {
    const unordered = await this.pool.query<{ at: number | null }>(`SELECT min(o.next_attempt_at) AS at FROM outbox o WHERE o.order_key IS NULL AND ${ELIGIBLE}`)
    const heads = await this.pool.query<{ at: number | null }>(`SELECT min(o.next_attempt_at) AS at FROM outbox o WHERE o.id = ANY($1) AND ${ELIGIBLE}`, [
      await orderHeads(this.pool)
    ])
    const times = [unordered.rows[0]?.at ?? null, heads.rows[0]?.at ?? null].filter((at): at is number => at !== null)
    return times.length > 0 ? Math.min(...times) : null
  }

  async counts(): Promise<OutboxCounts> {
    const byKind = await this.pool.query<{ kind: string; n: number; oldest: number }>(
      `SELECT kind, count(*) AS n, min(created_at) AS oldest FROM outbox WHERE state = 'pending' GROUP BY kind`
    )
    const dead = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE state = 'dead'`)
    return {
      pending: byKind.rows.reduce((sum, row) => sum + row.n, 0),
      dead: dead.rows[0]?.n ?? 0,
      pendingByKind: Object.fromEntries(byKind.rows.map((row) => [row.kind, row.n])),
      oldestPendingAt: byKind.rows.length > 0 ? Math.min(...byKind.rows.map((row) => row.oldest)) : null
    }
  }

  async compact(doneBefore: number, now: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE outbox SET payload = '{}', compacted_at = $2,
              reply = CASE WHEN jsonb_typeof(reply) = 'object' THEN jsonb_build_object('code', reply -> 'code', 'status', reply -> 'status', 'result', reply -> 'result') ELSE reply END
        WHERE state = 'done' AND compacted_at IS NULL AND done_at < $1`,
      [doneBefore, now]
    )
    return rowCount ?? 0
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<DeadRow>(`${SELECT_DEAD} ORDER BY o.id LIMIT $1`, [limit])
    return rows.map(toDeadLetter)
  }

  async deadLetter(id: number): Promise<DeadLetter | null> {
    const { rows } = await this.pool.query<DeadRow>(`${SELECT_DEAD} AND o.id = $1`, [id])
    return rows[0] ? toDeadLetter(rows[0]) : null
  }

  async fix(id: number, changes: Record<string, string>, fixedBy: string, now: number): Promise<OutboxItem | null> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE outbox o SET original_payload = COALESCE(original_payload, payload), payload = payload || $2::jsonb, fixed_by = $3, fixed_at = $4
        WHERE o.id = $1 AND o.state = 'dead' RETURNING ${ITEM_COLUMNS}`,
      [id, JSON.stringify(changes), fixedBy, now]
    )
    return rows[0] ? toItem(rows[0]) : null
  }

  async requeue(id: number, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE outbox SET state = 'pending', next_attempt_at = $2, last_error = NULL, dead_fields = NULL, fixable = NULL, reply = NULL
        WHERE id = $1 AND state = 'dead'`,
      [id, now]
    )
    return rowCount === 1
  }
}

/** Each order's first pending row (the only one of its order that may go): a skip scan of the order index, one probe per gate. */
async function orderHeads(client: Queryable): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `WITH RECURSIVE keys AS (
       SELECT min(order_key) AS key FROM outbox WHERE state = 'pending' AND order_key IS NOT NULL
       UNION ALL
       SELECT (SELECT min(order_key) FROM outbox WHERE state = 'pending' AND order_key > keys.key) FROM keys WHERE keys.key IS NOT NULL)
     SELECT (SELECT min(id) FROM outbox WHERE state = 'pending' AND order_key = keys.key) AS id FROM keys WHERE keys.key IS NOT NULL`
  )
  return rows.map((row) => row.id)
}

const SELECT_DEAD = `SELECT ${ITEM_COLUMNS}, o.last_error, o.dead_fields, o.fixable, o.created_at, o.fixed_by, o.fixed_at
  FROM outbox o WHERE o.state = 'dead'`

function toItem(row: OutboxRow): OutboxItem {
  return { id: row.id, kind: row.kind, idemKey: row.idem_key, passageId: row.passage_id, photoId: row.photo_id, payload: row.payload, attempts: row.attempts }
}

function toDeadLetter(row: DeadRow): DeadLetter {
  return {
    ...toItem(row),
    reason: row.last_error ?? '',
    fields: row.dead_fields ?? [],
    fixable: row.fixable === true,
    createdAt: row.created_at,
    fixedBy: row.fixed_by,
    fixedAt: row.fixed_at
  }
}
