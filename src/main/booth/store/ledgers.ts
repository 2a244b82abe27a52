import { createHash } from 'node:crypto'
import type { LedgerKind, UploadState } from '@shared/contract'
import { ENTITY_LEDGERS, type EntityLedger, type EntityLedgerDef } from '../../core/ledgers/fields'
import type { EntityQuery, EntityRow, GoodsQuery, GoodsRow, LedgerAction, LedgerChangeRow, NewGoods, NewLedgerChange } from '../../core/ledgers/repo'
import type { Db } from './db'

export type { EntityLedger, EntityQuery, EntityRow, GoodsQuery, GoodsRow, LedgerAction, LedgerChangeRow, NewGoods, NewLedgerChange }
export { ledgerChain } from '../../core/ledgers/fields'

interface EntityTable extends Omit<EntityLedgerDef, 'images'> {
  table: string
  /** Spec field name → column. */
  columns: Record<string, string>
  /** Image field name → column holding a ledger_images id. */
  images: Record<string, string>
}

/** A spec field's column: snake case of its name (licenseColor → license_color, mhyJXMC → mhy_jxmc). */
export function columnOf(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

const columnsOf = (fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, columnOf(field)]))
const TABLE_NAMES: Record<EntityLedger, string> = { vehicles: 'vehicle_registrations', innerVehicles: 'inner_vehicles', machines: 'machines' }

/** Each entity ledger's table, its columns derived from the ledger's fields (core/ledgers/fields.ts). */
export const ENTITY_TABLES = Object.fromEntries(
  Object.entries(ENTITY_LEDGERS).map(([ledger, def]) => [
    ledger,
    { ...def, table: TABLE_NAMES[ledger as EntityLedger], columns: columnsOf(def.fields), images: columnsOf(def.images) }
  ])
) as Record<EntityLedger, EntityTable>

/** Whether the row's changes reached the platform, from the outbox rows of its chain. */
interface UploadColumns {
  dead_count: number
  pending_count: number
  upload_error: string | null
}
const uploadColumns = (ledger: LedgerKind, alias: string) => {
  const chain = `'${ledger}:' || ${alias}.id`
  return `(SELECT COUNT(*) FROM outbox o WHERE o.chain = ${chain} AND o.state = 'dead') AS dead_count,
          (SELECT COUNT(*) FROM outbox o WHERE o.chain = ${chain} AND o.state = 'pending') AS pending_count,
          (SELECT o.last_error FROM outbox o WHERE o.chain = ${chain} AND o.state != 'done' AND o.last_error IS NOT NULL ORDER BY o.id DESC LIMIT 1) AS upload_error`
}
/**
 * A WHERE term keeping the ledger's rows in `state`, with the same meaning as `uploadOf` (failed: a dead letter in the
 * row's chain; pending: none dead, some pending; uploaded: neither). It asks the outbox for the unfinished rows of this
 * ledger's chains — few, and found through the outbox's state index — instead of working out every row's state, so a
 * filtered page and its total cost about what an unfiltered one does.
 */
function uploadFilter(ledger: LedgerKind, state: UploadState): string {
  const prefix = `${ledger}:`
  // Chains are '<ledger>:<id>': the range [prefix, prefix with ':' + 1) is exactly this ledger's chains.
  const rowsWith = (states: string) =>
    `SELECT CAST(substr(o.chain, ${prefix.length + 1}) AS INTEGER) FROM outbox o
      WHERE o.state IN (${states}) AND o.chain >= '${prefix}' AND o.chain < '${ledger};'`
  switch (state) {
    case 'failed':
      return `t.id IN (${rowsWith("'dead'")})`
    case 'pending':
      return `t.id IN (${rowsWith("'pending'")}) AND t.id NOT IN (${rowsWith("'dead'")})`
    case 'uploaded':
      return `t.id NOT IN (${rowsWith("'pending', 'dead'")})`
  }
}
function uploadOf(row: UploadColumns): { upload: UploadState; uploadError: string | null } {
  const upload: UploadState = row.dead_count > 0 ? 'failed' : row.pending_count > 0 ? 'pending' : 'uploaded'
  return { upload, uploadError: upload === 'uploaded' ? null : row.upload_error }
}

/**
 * The index range of every text starting with `prefix` (BINARY collation compares UTF-8 bytes, i.e. code points):
 * [prefix, prefix with its last code point + 1). Served by the plate column's index, unlike LIKE on CJK text.
 */
export function prefixRange(prefix: string): { lo: string; hi: string } {
  const points = [...prefix]
  const last = points.pop()!
  return { lo: prefix, hi: points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1) }
}

/** The ledger tables (台账). Writers call these inside one transaction with the change's outbox row (ledger-repo.ts). */
export class Ledgers {
  constructor(private readonly db: Db) {}

  addImage(jpeg: Buffer, now: number): number {
    const sha256 = createHash('sha256').update(jpeg).digest('hex')
    const result = this.db.prepare(`INSERT INTO ledger_images (sha256, bytes, jpeg, created_at) VALUES (?, ?, ?, ?)`).run(sha256, jpeg.byteLength, jpeg, now)
    return Number(result.lastInsertRowid)
  }

  image(id: number): Buffer | null {
    const row = this.db.prepare(`SELECT jpeg FROM ledger_images WHERE id = ?`).get(id) as { jpeg: Buffer } | undefined
    return row?.jpeg ?? null
  }

  // ---- vehicles, in-plant vehicles, machines

  entity(ledger: EntityLedger, id: number): EntityRow | null {
    const row = this.db.prepare(`${selectEntity(ledger)} WHERE t.id = ?`).get(id) as Record<string, unknown> | undefined
    return row ? toEntity(ledger, row) : null
  }

  entityByKey(ledger: EntityLedger, fields: Record<string, string>): EntityRow | null {
    const def = ENTITY_TABLES[ledger]
    const where = def.key.map((field) => `t.${def.columns[field]} = @${field}`).join(' AND ')
    const row = this.db.prepare(`${selectEntity(ledger)} WHERE ${where}`).get(pick(fields, def.key)) as Record<string, unknown> | undefined
    return row ? toEntity(ledger, row) : null
  }

  insertEntity(ledger: EntityLedger, fields: Record<string, string>, images: Record<string, number | null>, passageId: number | null, by: string, now: number): number {
    const def = ENTITY_TABLES[ledger]
    const values: Record<string, unknown> = { ...columnValues(def, fields, images), created_at: now, updated_at: now, updated_by: by }
    if (ledger === 'vehicles') values.passage_id = passageId
    const names = Object.keys(values)
    const result = this.db.prepare(`INSERT INTO ${def.table} (${names.join(', ')}) VALUES (${names.map((name) => `@${name}`).join(', ')})`).run(values)
    return Number(result.lastInsertRowid)
  }

  updateEntity(ledger: EntityLedger, id: number, fields: Record<string, string>, images: Record<string, number | null>, passageId: number | null, by: string, now: number): void {
    const def = ENTITY_TABLES[ledger]
    const values: Record<string, unknown> = { ...columnValues(def, fields, images), updated_at: now, updated_by: by }
    if (ledger === 'vehicles') values.passage_id = passageId
    const sets = Object.keys(values).map((name) => `${name} = @${name}`)
    this.db.prepare(`UPDATE ${def.table} SET ${sets.join(', ')} WHERE id = @id`).run({ ...values, id })
  }

  entityPage(ledger: EntityLedger, query: EntityQuery): { rows: EntityRow[]; total: number } {
    const def = ENTITY_TABLES[ledger]
    const { where, params } = entityWhere(ledger, def, query)
    const plate = def.columns[def.plateField]!
    const order = `ORDER BY t.${plate}${def.key.length > 1 ? `, t.${def.columns[def.key[1]!]}` : ''}`
    const rows = this.db
      .prepare(`${selectEntity(ledger)} ${where} ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: query.limit, offset: query.offset }) as Record<string, unknown>[]
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${def.table} t ${where}`).get(params) as { n: number }).n
    return { rows: rows.map((row) => toEntity(ledger, row)), total }
  }

  // ---- goods

  goods(id: number): GoodsRow | null {
    const row = this.db.prepare(`${SELECT_GOODS} WHERE t.id = ?`).get(id) as Record<string, unknown> | undefined
    return row ? toGoods(row) : null
  }

  goodsOfPassage(passageId: number): GoodsRow | null {
    const row = this.db.prepare(`${SELECT_GOODS} WHERE t.passage_id = ?`).get(passageId) as Record<string, unknown> | undefined
    return row ? toGoods(row) : null
  }

  goodsByLsh(lsh: string): GoodsRow | null {
    const row = this.db.prepare(`${SELECT_GOODS} WHERE t.lsh = ?`).get(lsh) as Record<string, unknown> | undefined
    return row ? toGoods(row) : null
  }

  insertGoods(goods: NewGoods, by: string, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO goods_records (passage_id, lsh, lane_id, gate_code, cphm, cpys, hwmc, ysl, djsj, weighed, source, created_at, updated_at, updated_by)
         VALUES (@passageId, @lsh, @laneId, @gateCode, @cphm, @cpys, @hwmc, @ysl, @djsj, @weighed, @source, @now, @now, @by)`
      )
      .run({ ...goods, weighed: goods.weighed ? 1 : 0, now, by })
    return Number(result.lastInsertRowid)
  }

  updateGoods(id: number, change: { hwmc: string; ysl: string; weighed: boolean }, by: string, now: number): void {
    this.db
      .prepare(`UPDATE goods_records SET hwmc = ?, ysl = ?, weighed = ?, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(change.hwmc, change.ysl, change.weighed ? 1 : 0, now, by, id)
  }

  /** A guard corrected the passage's plate before its records went out: its goods carry the corrected plate too. */
  correctGoodsPlate(passageId: number, cphm: string, cpys: string): void {
    this.db.prepare(`UPDATE goods_records SET cphm = ?, cpys = ? WHERE passage_id = ?`).run(cphm, cpys, passageId)
  }

  goodsPage(query: GoodsQuery): { rows: GoodsRow[]; total: number } {
    const inner: string[] = []
    const params: Record<string, unknown> = {}
    if (query.plate) {
      inner.push('t.cphm >= @lo AND t.cphm < @hi')
      Object.assign(params, prefixRange(query.plate))
    }
    if (query.from) {
      inner.push('t.djsj >= @from')
      params.from = query.from
    }
    if (query.to) {
      // Every 'yyyy-MM-dd HH:mm:ss' of the day `to` sorts before 'yyyy-MM-dd 99', so the index on djsj serves the range.
      inner.push('t.djsj < @toNext')
      params.toNext = `${query.to} 99`
    }
    if (query.upload) inner.push(uploadFilter('goods', query.upload))
    const where = inner.length ? `WHERE ${inner.join(' AND ')}` : ''
    const order = query.plate ? 'ORDER BY t.cphm ASC, t.id DESC' : 'ORDER BY t.id DESC'
    const rows = this.db
      .prepare(`${SELECT_GOODS} ${where} ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: query.limit, offset: query.offset }) as Record<string, unknown>[]
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM goods_records t ${where}`).get(params) as { n: number }).n
    return { rows: rows.map(toGoods), total }
  }

  goodsNames(): string[] {
    return (this.db.prepare(`SELECT name FROM goods_names ORDER BY position`).all() as { name: string }[]).map((row) => row.name)
  }

  setGoodsNames(names: readonly string[]): void {
    this.db.prepare(`DELETE FROM goods_names`).run()
    const insert = this.db.prepare(`INSERT OR IGNORE INTO goods_names (name, position) VALUES (?, ?)`)
    names.forEach((name, position) => insert.run(name, position))
  }

  // ---- history

  addChange(change: NewLedgerChange, now: number): number {
    const result = this.db
      .prepare(`INSERT INTO ledger_changes (ledger, row_id, at, by_name, by_user, action, changes, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(change.ledger, change.rowId, now, change.by, change.byUser, change.action, JSON.stringify(change.changes), change.note)
    return Number(result.lastInsertRowid)
  }

  setChangeOutbox(changeId: number, outboxId: number): void {
    this.db.prepare(`UPDATE ledger_changes SET outbox_id = ? WHERE id = ?`).run(outboxId, changeId)
  }

  /** The ledger row an outbox row uploads, or null for rows that are not ledger changes. */
  rowOfOutbox(outboxId: number): { ledger: LedgerKind; rowId: number } | null {
    const row = this.db.prepare(`SELECT ledger, row_id AS rowId FROM ledger_changes WHERE outbox_id = ?`).get(outboxId) as { ledger: LedgerKind; rowId: number } | undefined
    return row ?? null
  }

  /** Every change of one row, newest first, each with the upload state of its own outbox row. */
  history(ledger: LedgerKind, rowId: number): LedgerChangeRow[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.at, c.by_name, c.action, c.changes, c.note, o.state, o.last_error
           FROM ledger_changes c LEFT JOIN outbox o ON o.id = c.outbox_id
          WHERE c.ledger = ? AND c.row_id = ? ORDER BY c.id DESC`
      )
      .all(ledger, rowId) as { id: number; at: number; by_name: string; action: LedgerAction; changes: string; note: string; state: string | null; last_error: string | null }[]
    return rows.map((row) => {
      // A missing outbox row was compacted or swept after it was accepted.
      const upload: UploadState = row.state === 'dead' ? 'failed' : row.state === 'pending' ? 'pending' : 'uploaded'
      return {
        id: row.id,
        at: row.at,
        by: row.by_name,
        action: row.action,
        changes: JSON.parse(row.changes) as LedgerChangeRow['changes'],
        note: row.note,
        upload,
        uploadError: upload === 'uploaded' ? null : row.last_error
      }
    })
  }
}

const SELECT_GOODS = `SELECT t.*, ${uploadColumns('goods', 't')} FROM goods_records t`

function selectEntity(ledger: EntityLedger): string {
  return `SELECT t.*, ${uploadColumns(ledger, 't')} FROM ${ENTITY_TABLES[ledger].table} t`
}

function entityWhere(ledger: EntityLedger, def: EntityTable, query: EntityQuery): { where: string; params: Record<string, unknown> } {
  const inner: string[] = []
  const params: Record<string, unknown> = {}
  if (query.plate) {
    const column = def.columns[def.plateField]!
    inner.push(`t.${column} >= @lo AND t.${column} < @hi`)
    Object.assign(params, prefixRange(query.plate))
  }
  if (query.status && def.statusField) {
    inner.push(`t.${def.columns[def.statusField]} = @status`)
    params.status = query.status
  }
  if (query.upload) inner.push(uploadFilter(ledger, query.upload))
  return { where: inner.length ? `WHERE ${inner.join(' AND ')}` : '', params }
}

function columnValues(def: EntityTable, fields: Record<string, string>, images: Record<string, number | null>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [field, column] of Object.entries(def.columns)) values[column] = fields[field] ?? ''
  for (const [field, column] of Object.entries(def.images)) values[column] = images[field] ?? null
  return values
}

function pick(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, fields[name] ?? '']))
}

function toEntity(ledger: EntityLedger, row: Record<string, unknown>): EntityRow {
  const def = ENTITY_TABLES[ledger]
  return {
    id: row.id as number,
    fields: Object.fromEntries(Object.entries(def.columns).map(([field, column]) => [field, row[column] as string])),
    images: Object.fromEntries(Object.entries(def.images).map(([field, column]) => [field, (row[column] as number | null) ?? null])),
    passageId: (row.passage_id as number | null | undefined) ?? null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    updatedBy: row.updated_by as string,
    ...uploadOf(row as unknown as UploadColumns)
  }
}

function toGoods(row: Record<string, unknown>): GoodsRow {
  return {
    id: row.id as number,
    passageId: row.passage_id as number | null,
    lsh: row.lsh as string,
    laneId: row.lane_id as string | null,
    gateCode: row.gate_code as string,
    cphm: row.cphm as string,
    cpys: row.cpys as string,
    hwmc: row.hwmc as string,
    ysl: row.ysl as string,
    djsj: row.djsj as string,
    weighed: row.weighed === 1,
    source: row.source as GoodsRow['source'],
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    updatedBy: row.updated_by as string,
    ...uploadOf(row as unknown as UploadColumns)
  }
}
