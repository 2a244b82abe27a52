import type { LedgerKind, Passage, UploadState } from '@shared/contract'
import type { FieldChanges } from './changes'
import type { EntityLedger } from './fields'

/**
 * The storage the ledger service needs. The booth implements it on SQLite (booth/store/ledger-repo.ts); the plant
 * will implement it on PostgreSQL. Each write method is one transaction: a ledger row, its history entry and its
 * outbox row commit together or not at all.
 */
export interface LedgerRepo {
  passage(id: number): Promise<Passage | null>
  passageByLsh(lsh: string): Promise<Passage | null>

  goods(id: number): Promise<GoodsRow | null>
  goodsOfPassage(passageId: number): Promise<GoodsRow | null>
  goodsPage(query: GoodsQuery): Promise<{ rows: GoodsRow[]; total: number }>
  goodsNames(): Promise<string[]>
  setGoodsNames(names: readonly string[]): Promise<void>

  entity(ledger: EntityLedger, id: number): Promise<EntityRow | null>
  entityByKey(ledger: EntityLedger, fields: Record<string, string>): Promise<EntityRow | null>
  entityPage(ledger: EntityLedger, query: EntityQuery): Promise<{ rows: EntityRow[]; total: number }>
  image(id: number): Promise<Buffer | null>

  /** Every change of one row, newest first, each with the upload state of its own outbox row. */
  history(ledger: LedgerKind, rowId: number): Promise<LedgerChangeRow[]>
  /** The ledger row an outbox row uploads, or null for rows that are not ledger changes. */
  rowOfOutbox(outboxId: number): Promise<{ ledger: LedgerKind; rowId: number } | null>

  /**
   * Goods entries, all or none, each with its history entry and its upload (after its passage's record, in its row's
   * chain). An entry without changes is not written. Returns the row ids, in order.
   */
  writeGoods(writes: readonly GoodsWrite[], change: ChangeMeta, now: number): Promise<number[]>
  /**
   * Entity changes, all or none. Each is compared with the row as it is at that moment (by id, else by key, so two
   * writes of one vehicle in a batch are an insert and an update) through `entityChanges`; a change without
   * differences is not written. Returns the row ids, in order.
   */
  writeEntities(writes: readonly EntityWrite[], change: ChangeMeta, now: number): Promise<number[]>
}

/** Who made a change, and what kind of change it is, as its history entry records it. */
export interface ChangeMeta {
  by: string
  byUser: string | null
  action: LedgerAction
  note: string
}

export type LedgerAction = 'create' | 'update' | 'status' | 'import'

export interface GoodsWrite {
  /** The row on file for the passage, or null for a new one. */
  existingId: number | null
  goods: NewGoods & { passageId: number }
  changes: FieldChanges
  /** The shareGoodsRecord value. */
  value: Record<string, string>
}

export interface EntityWrite {
  ledger: EntityLedger
  /** The row being edited, or null to find it by key (or create it). */
  id: number | null
  fields: Record<string, string>
  /** Newly picked images (JPEG) by spec field. */
  newImages: Record<string, Buffer>
  /** The spec value uploaded for this change. */
  value: Record<string, string>
  passageId: number | null
}

interface RowMeta {
  id: number
  createdAt: number
  updatedAt: number
  updatedBy: string
  upload: UploadState
  uploadError: string | null
}

export interface EntityRow extends RowMeta {
  fields: Record<string, string>
  /** Image field → ledger_images id, or null when none is on file. */
  images: Record<string, number | null>
  passageId: number | null
}

export interface EntityQuery {
  plate?: string | undefined
  status?: string | undefined
  upload?: UploadState | undefined
  offset: number
  limit: number
}

export interface GoodsRow extends RowMeta {
  passageId: number | null
  lsh: string
  laneId: string | null
  gateCode: string
  cphm: string
  cpys: string
  hwmc: string
  ysl: string
  djsj: string
  weighed: boolean
  source: 'guard' | 'admin' | 'import'
}
export type NewGoods = Omit<GoodsRow, keyof RowMeta>

export interface GoodsQuery {
  plate?: string | undefined
  /** Beijing days yyyy-MM-dd, on djsj. */
  from?: string | undefined
  to?: string | undefined
  upload?: UploadState | undefined
  offset: number
  limit: number
}

export interface LedgerChangeRow {
  id: number
  at: number
  by: string
  action: LedgerAction
  changes: FieldChanges
  note: string
  upload: UploadState
  uploadError: string | null
}

export interface NewLedgerChange {
  ledger: LedgerKind
  rowId: number
  by: string
  byUser: string | null
  action: LedgerAction
  changes: FieldChanges
  note: string
}
