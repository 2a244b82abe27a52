import type { LedgerKind, Passage, UploadState } from '@shared/contract'
import { entityChanges, type FieldChanges } from '../../core/ledgers/changes'
import { ENTITY_LEDGERS, ledgerChain, LEDGER_KINDS, type EntityLedger } from '../../core/ledgers/fields'
import type { ChangeMeta, EntityQuery, EntityRow, EntityWrite, GoodsQuery, GoodsRow, GoodsWrite, LedgerAction, LedgerChangeRow, LedgerRepo } from '../../core/ledgers/repo'
import type { NewOutboxItem } from '../../core/sync/queue'
import { recordChange, type FeedEntity } from './feed'
import { addOutboxRow } from './outbox-queue'
import { inTransaction, type Client, type Pool, type Queryable } from './pool'

/** The feed's name of each entity ledger (what a booth's replica applies: booth/store/plant-replica.ts). */
const FEED_ENTITY: Record<EntityLedger, Extract<FeedEntity, 'registration' | 'innerVehicle' | 'machine'>> = {
  vehicles: 'registration',
  innerVehicles: 'innerVehicle',
  machines: 'machine'
}

/** A row's key in ledger_rows and down the feed: its key fields joined by '/' (豫A12345/2). */
const keyOf = (ledger: EntityLedger, fields: Record<string, string>) => ENTITY_LEDGERS[ledger].key.map((field) => fields[field] ?? '').join('/')

/** Whether the row's changes reached the city platform, from the outbox rows of its chain (as on the booth). */
const uploadColumns = (ledger: LedgerKind, alias: string) => {
  const chain = `'${ledger}:' || ${alias}.id`
  return `(SELECT count(*) FROM outbox o WHERE o.chain = ${chain} AND o.state = 'dead') AS dead_count,
          (SELECT count(*) FROM outbox o WHERE o.chain = ${chain} AND o.state = 'pending') AS pending_count,
          (SELECT o.last_error FROM outbox o WHERE o.chain = ${chain} AND o.state <> 'done' AND o.last_error IS NOT NULL ORDER BY o.id DESC LIMIT 1) AS upload_error`
}
const uploadFilter = (ledger: LedgerKind, alias: string, state: UploadState) => {
  const has = (states: string) => `EXISTS (SELECT 1 FROM outbox o WHERE o.chain = '${ledger}:' || ${alias}.id AND o.state IN (${states}))`
  if (state === 'failed') return has(`'dead'`)
  if (state === 'pending') return `${has(`'pending'`)} AND NOT ${has(`'dead'`)}`
  return `NOT ${has(`'pending', 'dead'`)}`
}

interface UploadColumns {
  dead_count: number
  pending_count: number
  upload_error: string | null
}
function uploadOf(row: UploadColumns): { upload: UploadState; uploadError: string | null } {
  const upload: UploadState = row.dead_count > 0 ? 'failed' : row.pending_count > 0 ? 'pending' : 'uploaded'
  return { upload, uploadError: upload === 'uploaded' ? null : row.upload_error }
}

interface EntityDbRow extends UploadColumns {
  id: number
  fields: Record<string, string>
  images: Record<string, number | null>
  passage_id: number | null
  created_at: number | null
  updated_at: number
  updated_by: string
}

type GoodsDbRow = Omit<GoodsRow, 'upload' | 'uploadError'> & UploadColumns

/**
 * The ledger service's storage at the plant (core/ledgers/repo.ts), on PostgreSQL. The plant owns the entity ledgers:
 * each change commits with its history entry, its city-platform outbox row (in the row's chain) and its change-feed
 * entry, so what the admin files here reaches every booth's replica. Goods filed here belong to a passage the plant
 * holds (the booths' own goods go to the city through their uplink records).
 */
export class PgLedgerRepo implements LedgerRepo {
  constructor(private readonly pool: Pool) {}

  async passage(id: number): Promise<Passage | null> {
    return passageWhere(this.pool, 'p.id = $1', id)
  }

  async passageByLsh(lsh: string): Promise<Passage | null> {
    return passageWhere(this.pool, 'p.lsh = $1', lsh)
  }

  async goods(id: number): Promise<GoodsRow | null> {
    const { rows } = await this.pool.query<GoodsDbRow>(`${SELECT_GOODS} WHERE t.id = $1`, [id])
    return rows[0] ? toGoods(rows[0]) : null
  }

  async goodsOfPassage(passageId: number): Promise<GoodsRow | null> {
    const { rows } = await this.pool.query<GoodsDbRow>(`${SELECT_GOODS} WHERE t.passage_id = $1`, [passageId])
    return rows[0] ? toGoods(rows[0]) : null
  }

  async goodsPage(query: GoodsQuery): Promise<{ rows: GoodsRow[]; total: number }> {
    const terms: string[] = []
    const params: unknown[] = []
    const param = (value: unknown) => `$${params.push(value)}`
    if (query.plate) terms.push(`t.cphm LIKE ${param(`${escapeLike(query.plate)}%`)}`)
    if (query.from) terms.push(`t.djsj >= ${param(query.from)}`)
    if (query.to) terms.push(`t.djsj < ${param(`${query.to} 99`)}`)
    if (query.upload) terms.push(uploadFilter('goods', 't', query.upload))
    const where = terms.length ? `WHERE ${terms.join(' AND ')}` : ''
    const total = (await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM goods t ${where}`, params)).rows[0]!.n
    const order = query.plate ? 'ORDER BY t.cphm, t.id DESC' : 'ORDER BY t.id DESC'
    const { rows } = await this.pool.query<GoodsDbRow>(`${SELECT_GOODS} ${where} ${order} LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`, params)
    return { rows: rows.map(toGoods), total }
  }

  async goodsNames(): Promise<string[]> {
    return (await this.pool.query<{ name: string }>('SELECT name FROM goods_names ORDER BY position')).rows.map((row) => row.name)
  }

  async setGoodsNames(names: readonly string[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM goods_names')
      const unique = [...new Set(names)]
      if (unique.length) await client.query('INSERT INTO goods_names (position, name) SELECT * FROM unnest($1::int[], $2::text[])', [unique.map((_, i) => i), unique])
    })
  }

  async entity(ledger: EntityLedger, id: number): Promise<EntityRow | null> {
    return entityWhere(this.pool, ledger, 't.id = $2', id)
  }

  async entityByKey(ledger: EntityLedger, fields: Record<string, string>): Promise<EntityRow | null> {
    return entityWhere(this.pool, ledger, 't.key = $2', keyOf(ledger, fields))
  }

  async entityPage(ledger: EntityLedger, query: EntityQuery): Promise<{ rows: EntityRow[]; total: number }> {
    const def = ENTITY_LEDGERS[ledger]
    const params: unknown[] = [FEED_ENTITY[ledger]]
    const param = (value: unknown) => `$${params.push(value)}`
    const terms = ['t.entity = $1']
    // The key starts with the plate field: a prefix of the plate is a prefix of the key (the index on (entity, key)).
    if (query.plate) terms.push(`t.key LIKE ${param(`${escapeLike(query.plate)}%`)}`)
    if (query.status && def.statusField) terms.push(`t.fields ->> '${def.statusField}' = ${param(query.status)}`)
    if (query.upload) terms.push(uploadFilter(ledger, 't', query.upload))
    const where = `WHERE ${terms.join(' AND ')}`
    const total = (await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM ledger_rows t ${where}`, params)).rows[0]!.n
    const { rows } = await this.pool.query<EntityDbRow>(`${selectEntity(ledger)} ${where} ORDER BY t.key LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`, params)
    return { rows: rows.map((row) => toEntity(ledger, row)), total }
  }

  async image(id: number): Promise<Buffer | null> {
    return (await this.pool.query<{ jpeg: Buffer }>('SELECT jpeg FROM ledger_images WHERE id = $1', [id])).rows[0]?.jpeg ?? null
  }

  async history(ledger: LedgerKind, rowId: number): Promise<LedgerChangeRow[]> {
    const { rows } = await this.pool.query<{ id: number; at: number; by_name: string; action: LedgerAction; changes: FieldChanges; note: string; state: string | null; last_error: string | null }>(
      `SELECT c.id, c.at, c.by_name, c.action, c.changes, c.note, o.state, o.last_error
         FROM ledger_changes c LEFT JOIN outbox o ON o.id = c.outbox_id
        WHERE c.ledger = $1 AND c.row_id = $2 ORDER BY c.id DESC`,
      [ledger, rowId]
    )
    return rows.map((row) => {
      const upload: UploadState = row.state === 'dead' ? 'failed' : row.state === 'pending' ? 'pending' : 'uploaded'
      return { id: row.id, at: row.at, by: row.by_name, action: row.action, changes: row.changes, note: row.note, upload, uploadError: upload === 'uploaded' ? null : row.last_error }
    })
  }

  async rowOfOutbox(outboxId: number): Promise<{ ledger: LedgerKind; rowId: number } | null> {
    const { rows } = await this.pool.query<{ ledger: LedgerKind; rowId: number }>('SELECT ledger, row_id AS "rowId" FROM ledger_changes WHERE outbox_id = $1', [outboxId])
    return rows[0] ?? null
  }

  async writeGoods(writes: readonly GoodsWrite[], change: ChangeMeta, now: number): Promise<number[]> {
    return inTransaction(this.pool, async (client) => {
      const ids: number[] = []
      for (const write of writes) {
        if (write.existingId !== null && Object.keys(write.changes).length === 0) {
          ids.push(write.existingId)
          continue
        }
        const { goods } = write
        let id = write.existingId
        if (id === null) {
          const { rows } = await client.query<{ id: number }>(
            `INSERT INTO goods (passage_id, lsh, lane_id, gate_code, cphm, cpys, hwmc, ysl, djsj, weighed, source, created_at, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id`,
            [goods.passageId, goods.lsh, goods.laneId, goods.gateCode, goods.cphm, goods.cpys, goods.hwmc, goods.ysl, goods.djsj, goods.weighed, goods.source, now, change.by]
          )
          id = rows[0]!.id
        } else {
          await client.query('UPDATE goods SET hwmc = $2, ysl = $3, weighed = $4, updated_at = $5, updated_by = $6 WHERE id = $1', [id, goods.hwmc, goods.ysl, goods.weighed, now, change.by])
        }
        const record = (await client.query<{ id: number }>(`SELECT id FROM outbox WHERE passage_id = $1 AND kind = 'shareDrivingRecord'`, [goods.passageId])).rows[0]
        await queue(client, 'goods', id, write.changes, change, now, { passageId: goods.passageId, payload: write.value, ...(record ? { afterId: record.id } : {}) })
        ids.push(id)
      }
      return ids
    })
  }

  async writeEntities(writes: readonly EntityWrite[], change: ChangeMeta, now: number): Promise<number[]> {
    return inTransaction(this.pool, async (client) => {
      const ids: number[] = []
      for (const write of writes) {
        const { ledger } = write
        const before = write.id !== null ? await entityWhere(client, ledger, 't.id = $2', write.id) : await entityWhere(client, ledger, 't.key = $2', keyOf(ledger, write.fields))
        const changes = entityChanges(before, write.fields, Object.keys(write.newImages))
        if (before && Object.keys(changes).length === 0) {
          ids.push(before.id)
          continue
        }
        const images: Record<string, number | null> = { ...before?.images }
        for (const [field, jpeg] of Object.entries(write.newImages)) {
          images[field] = (await client.query<{ id: number }>('INSERT INTO ledger_images (jpeg, created_at) VALUES ($1, $2) RETURNING id', [jpeg, now])).rows[0]!.id
        }
        const key = keyOf(ledger, write.fields)
        const fields = Object.fromEntries(ENTITY_LEDGERS[ledger].fields.map((field) => [field, write.fields[field] ?? '']))
        let id: number
        if (before) {
          id = before.id
          // A changed key (a corrected plate) leaves the old key's replicas: the feed removes it.
          const old = (await client.query<{ key: string }>('SELECT key FROM ledger_rows WHERE id = $1', [id])).rows[0]!.key
          await client.query('UPDATE ledger_rows SET key = $2, fields = $3, images = $4, passage_id = $5, updated_at = $6, updated_by = $7 WHERE id = $1', [
            id, key, JSON.stringify(fields), JSON.stringify(images), write.passageId, now, change.by
          ])
          if (old !== key) await recordChange(client, FEED_ENTITY[ledger], old, null, now)
        } else {
          id = (
            await client.query<{ id: number }>(
              `INSERT INTO ledger_rows (entity, key, fields, images, passage_id, created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
              [FEED_ENTITY[ledger], key, JSON.stringify(fields), JSON.stringify(images), write.passageId, now, change.by]
            )
          ).rows[0]!.id
        }
        await recordChange(client, FEED_ENTITY[ledger], key, fields, now)
        await queue(client, ledger, id, changes, change, now, { payload: write.value })
        ids.push(id)
      }
      return ids
    })
  }
}

/** The change's history entry and its outbox row (in the row's chain), linked both ways, as on the booth. */
async function queue(client: Client, ledger: LedgerKind, rowId: number, changes: FieldChanges, change: ChangeMeta, now: number, item: Pick<NewOutboxItem, 'passageId' | 'afterId' | 'payload'>) {
  const changeId = (
    await client.query<{ id: number }>(
      'INSERT INTO ledger_changes (ledger, row_id, at, by_name, by_user, action, changes, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
      [ledger, rowId, now, change.by, change.byUser, change.action, JSON.stringify(changes), change.note]
    )
  ).rows[0]!.id
  const outboxId = await addOutboxRow(client, { ...item, kind: LEDGER_KINDS[ledger], idemKey: `${ledger}:${rowId}:${changeId}`, chain: ledgerChain(ledger, rowId) }, now)
  await client.query('UPDATE ledger_changes SET outbox_id = $2 WHERE id = $1', [changeId, outboxId])
}

const SELECT_GOODS = `SELECT t.id, t.passage_id AS "passageId", t.lsh, t.lane_id AS "laneId", t.gate_code AS "gateCode", t.cphm, t.cpys, t.hwmc, t.ysl,
  t.djsj, t.weighed, t.source, t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.updated_by AS "updatedBy", ${uploadColumns('goods', 't')} FROM goods t`
const selectEntity = (ledger: EntityLedger) => `SELECT t.*, ${uploadColumns(ledger, 't')} FROM ledger_rows t`

async function entityWhere(db: Queryable, ledger: EntityLedger, condition: string, value: unknown): Promise<EntityRow | null> {
  const { rows } = await db.query<EntityDbRow>(`${selectEntity(ledger)} WHERE t.entity = $1 AND ${condition}`, [FEED_ENTITY[ledger], value])
  return rows[0] ? toEntity(ledger, rows[0]) : null
}

function toEntity(ledger: EntityLedger, row: EntityDbRow): EntityRow {
  const def = ENTITY_LEDGERS[ledger]
  return {
    id: row.id,
    fields: Object.fromEntries(def.fields.map((field) => [field, String(row.fields[field] ?? '')])),
    images: Object.fromEntries(def.images.map((field) => [field, row.images[field] ?? null])),
    passageId: row.passage_id,
    createdAt: row.created_at ?? row.updated_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    ...uploadOf(row)
  }
}

function toGoods({ dead_count, pending_count, upload_error, ...row }: GoodsDbRow): GoodsRow {
  return { ...row, ...uploadOf({ dead_count, pending_count, upload_error }) }
}

/** A passage the plant holds, as the booth's ledger service reads one (its goods form and the record it uploads). */
async function passageWhere(db: Queryable, condition: string, value: unknown): Promise<Passage | null> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT p.*, (SELECT count(*) FROM photos f WHERE f.passage_id = p.id) AS photo_count, o.state AS upload_state, o.last_error
       FROM passages p LEFT JOIN outbox o ON o.passage_id = p.id AND o.kind = 'shareDrivingRecord' WHERE ${condition}`,
    [value]
  )
  const row = rows[0]
  if (!row) return null
  const state = row.upload_state as string | null
  return {
    id: row.id as number,
    lsh: row.lsh as string,
    laneId: row.lane_id as string,
    gateCode: row.gate_code as string,
    direction: row.direction as Passage['direction'],
    plate: row.plate as string,
    plateColour: row.plate_colour as string,
    recognizedAt: new Date(row.recognized_at as number).toISOString(),
    tgsjq: row.tgsjq as string,
    tgsjz: row.tgsjz as string,
    decision: row.decision as Passage['decision'],
    reasonCode: row.reason_code as string,
    reasonText: row.reason_text as string,
    decidedOffline: row.decided_offline as boolean,
    verdict: (row.verdict as Passage['verdict']) ?? null,
    bgzt: row.bgzt as Passage['bgzt'],
    source: row.source as Passage['source'],
    photoCount: row.photo_count as number,
    upload: state === 'dead' ? 'failed' : state === 'done' ? 'uploaded' : 'pending',
    uploadError: state === 'done' ? null : ((row.last_error as string | null) ?? null),
    gateSignal: (row.gate_signal as Passage['gateSignal']) ?? null,
    forced: row.forced as boolean,
    originalPlate: (row.original_plate as string | null) ?? null,
    originalPlateColour: (row.original_plate_colour as string | null) ?? null
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`)
}
