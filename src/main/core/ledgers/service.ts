import type {
  Actor,
  GoodsRecord,
  InnerVehicleView,
  LedgerChange,
  LedgerKind,
  MachineView,
  ParsedInput,
  UploadState,
  VehicleRegistration
} from '@shared/contract'
import { normalizePlate } from '@shared/plate'
import { formatSpecDateTime } from '@shared/spec'
import type { Scale } from '../../booth/devices/types'
import { actorName } from '../api/actor'
import { ApiFailure } from '../api/errors'
import { PhotoProblemError, prepareUploadImage } from '../photos'
import {
  goodsRecordValue,
  innerVehicleValue,
  machineValue,
  preflightProblems,
  vehicleRegistrationValue,
  yslOf,
  type FilingEnterprise,
  type MachineFields,
  type PreflightProblem,
  type VehicleFields
} from '../platform'
import { isoOf } from '../time'
import { ENTITY_TABLES, ledgerChain, type EntityLedger, type EntityRow, type GoodsRow, type LedgerAction, type NewGoods, type OutboxItem, type OutboxKind, type Store } from '../../booth/store'

/** The spec interface each ledger uploads through. */
export const LEDGER_KINDS: Record<LedgerKind, OutboxKind> = {
  goods: 'shareGoodsRecord',
  vehicles: 'shareVehInfo',
  innerVehicles: 'shareInnerVehInfo',
  machines: 'shareInnerMHYElec'
}

export const IMAGE_LABELS: Record<string, string> = { drivingLicenseImg: '行驶证图片', drivingLicenseImg2: '随车清单图片', imageInfo: '铭牌图片' }

/** Demo mode's goods names until the admin sets the plant's own. */
export const DEMO_GOODS_NAMES = ['铁矿石', '焦炭', '煤炭', '石灰石', '钢坯', '螺纹钢', '废钢', '水渣', '石子', '砂子']

/** A refusal of a ledger input: `invalid_input` with one issue per field (spec field name), in Chinese. */
export class LedgerInputError extends ApiFailure {
  override name = 'LedgerInputError'
  constructor(problems: PreflightProblem[]) {
    super(
      'invalid_input',
      problems.map((problem) => problem.message).join('；'),
      problems.map((problem) => ({ path: problem.field, message: problem.message }))
    )
  }
}

/** A refusal that is not about one field. */
export class LedgerRefusal extends ApiFailure {
  override name = 'LedgerRefusal'
  constructor(code: 'not_found' | 'forbidden' | 'unknown_lane', message: string) {
    super(code, message)
  }
}

export interface LedgerServiceOptions {
  store: Store
  enterprise: FilingEnterprise
  /** The platform-corrected clock (records are stamped with it, like the lane's). */
  now: () => number
  /** The lane's weighbridge; undefined for a lane that does not exist. */
  scaleOf: (laneId: string) => Scale | null | undefined
  /** A ledger row was written or its upload state changed. */
  onChanged: (ledger: LedgerKind, id: number) => void
  /** New outbox rows were committed. */
  onQueued: () => void
  demo: boolean
}

type EntityInput = Record<string, string | number | undefined> & { id?: number | undefined }

/** A validated entity change, ready to be written (inside a transaction) with its outbox row. */
export interface EntityPlan {
  ledger: EntityLedger
  id: number | null
  fields: Record<string, string>
  /** Newly picked images, converted to JPEG. */
  newImages: Record<string, Buffer>
  value: Record<string, string>
  passageId: number | null
}

/** A validated goods entry, ready to be written. */
export interface GoodsPlan {
  existing: GoodsRow | null
  goods: NewGoods & { passageId: number }
  value: Record<string, string>
}

interface Who {
  name: string
  userId: string | null
}

/**
 * The admin ledgers (台账, issue #8): every change is checked with the same pre-flight as the sync worker, written with
 * its history entry and its outbox row in one transaction, and uploaded by the sync worker in the order it was made
 * (one outbox chain per ledger row; a goods record after its passage's record).
 */
export class LedgerService {
  private readonly store: Store

  constructor(private readonly options: LedgerServiceOptions) {
    this.store = options.store
    if (options.demo && this.store.ledgers.goodsNames().length === 0) this.store.ledgers.setGoodsNames(DEMO_GOODS_NAMES)
  }

  // ---- goods (4.1.6)

  /** A guard enters the goods of a passage once; changing recorded goods needs an admin. */
  recordGoods(input: ParsedInput<'goods.record'>, actor: Actor | null): GoodsRecord {
    const existing = this.store.ledgers.goodsOfPassage(input.passageId)
    if (existing && actor?.role !== 'admin') throw new LedgerRefusal('forbidden', '该过车记录已登记货物，修改需要管理员权限')
    const plan = this.planGoods({ passageId: input.passageId, hwmc: input.hwmc, ysl: input.ysl, weighed: input.weighed, source: actor?.role === 'admin' ? 'admin' : 'guard' })
    if (plan.problems.length > 0) throw new LedgerInputError(plan.problems)
    const id = this.store.transaction(() => this.writeGoods(plan.plan!, who(actor), plan.plan!.existing ? 'update' : 'create'))
    this.afterWrite('goods', [id])
    return goodsView(this.store.ledgers.goods(id)!)
  }

  /** Checks a goods entry for a passage (by id or lsh); problems name the spec field. */
  planGoods(input: { passageId?: number; lsh?: string; hwmc: string; ysl: string; weighed: boolean; source: GoodsRow['source'] }): { plan: GoodsPlan | null; problems: PreflightProblem[] } {
    const passage = input.passageId !== undefined ? this.store.passages.get(input.passageId) : this.passageByLsh(input.lsh ?? '')
    if (!passage) {
      if (input.passageId !== undefined) throw new LedgerRefusal('not_found', `没有编号为 ${input.passageId} 的过车记录`)
      return { plan: null, problems: [{ field: 'lsh', message: `lsh（流水号）${input.lsh ?? ''} 在本机没有对应的过车记录` }] }
    }
    const existing = this.store.ledgers.goodsOfPassage(passage.id)
    const ysl = /^\d+(\.\d+)?$/.test(input.ysl) ? (yslOf(Number(input.ysl)) ?? input.ysl) : input.ysl
    const djsj = existing?.djsj ?? formatSpecDateTime(new Date(this.options.now()))
    const goods = {
      passageId: passage.id,
      lsh: passage.lsh,
      laneId: passage.laneId,
      gateCode: passage.gateCode,
      cphm: passage.plate,
      cpys: passage.plateColour,
      hwmc: input.hwmc,
      ysl,
      djsj,
      // An imported row cannot say whether its tonnage was weighed: what is on file stays.
      weighed: input.source === 'import' ? (existing?.weighed ?? false) : input.weighed,
      source: input.source
    }
    const value = goodsRecordValue(this.options.enterprise, { lsh: goods.lsh, gateCode: goods.gateCode, plate: goods.cphm, plateColour: goods.cpys, hwmc: goods.hwmc, ysl, djsj })
    const problems = preflightProblems('shareGoodsRecord', value)
    return { plan: problems.length === 0 ? { existing, goods, value } : null, problems }
  }

  /** Writes a checked goods entry, its history and its outbox row; call inside store.transaction. Returns the row id. */
  writeGoods(plan: GoodsPlan, by: Who, action: LedgerAction): number {
    const { ledgers, outbox } = this.store
    const now = this.options.now()
    const before = plan.existing
    const changes = diff(before ? { hwmc: before.hwmc, ysl: before.ysl } : null, { hwmc: plan.goods.hwmc, ysl: plan.goods.ysl })
    if (before && Object.keys(changes).length === 0) return before.id
    const id = before ? before.id : ledgers.insertGoods(plan.goods, by.name, now)
    if (before) ledgers.updateGoods(before.id, plan.goods, by.name, now)
    const record = outbox.recordRowOf(plan.goods.passageId)
    this.queue('goods', id, action, changes, '', by, now, (idemKey) => ({
      kind: 'shareGoodsRecord',
      idemKey,
      passageId: plan.goods.passageId,
      chain: ledgerChain('goods', id),
      payload: plan.value,
      ...(record ? { afterId: record.id } : {})
    }))
    return id
  }

  goodsPage(query: ParsedInput<'goods.list'>): { rows: GoodsRecord[]; total: number } {
    const page = this.store.ledgers.goodsPage({ ...query, plate: plateQuery(query.plate) })
    return { rows: page.rows.map(goodsView), total: page.total }
  }

  goodsForPassage(passageId: number): GoodsRecord | null {
    const row = this.store.ledgers.goodsOfPassage(passageId)
    return row ? goodsView(row) : null
  }

  /** The lane weighbridge's reading as ysl: kilograms to tonnes, rounded to fit 4 characters (ERRATA E33). */
  weight(laneId: string): { tonnes: string | null; stable: boolean; at: string | null; message: string } {
    const scale = this.options.scaleOf(laneId)
    if (scale === undefined) throw new LedgerRefusal('unknown_lane', `没有车道 ${laneId}`)
    if (scale === null) return { tonnes: null, stable: false, at: null, message: '该车道未配置地磅，请手工填写运输量' }
    const reading = scale.current()
    if (!reading) return { tonnes: null, stable: false, at: null, message: '地磅暂无读数' }
    const tonnes = yslOf(reading.kg / 1000)
    const at = isoOf(reading.at)
    if (tonnes === null) return { tonnes: null, stable: reading.stable, at, message: `地磅读数 ${reading.kg} kg 无法填入运输量（最多 4 个字符）` }
    return { tonnes, stable: reading.stable, at, message: reading.stable ? '地磅读数已稳定' : '地磅读数尚未稳定，请稍候' }
  }

  goodsNames(): string[] {
    return this.store.ledgers.goodsNames()
  }

  setGoodsNames(names: readonly string[]): string[] {
    this.store.transaction(() => this.store.ledgers.setGoodsNames([...new Set(names)]))
    return this.goodsNames()
  }

  // ---- vehicles (4.1.2), in-plant vehicles (4.1.7), machines (4.1.8)

  async save(ledger: EntityLedger, input: EntityInput, actor: Actor | null): Promise<EntityRow> {
    const { plan, problems } = await this.planEntity(ledger, input)
    if (!plan) throw new LedgerInputError(problems)
    const id = this.store.transaction(() => this.writeEntity(plan, who(actor), plan.id === null ? 'create' : 'update', ''))
    this.afterWrite(ledger, [id])
    return this.store.ledgers.entity(ledger, id)!
  }

  /** carStatus / mhyStatus: 1 正常, 2 封存, 3 注销, with the reason in the history. */
  setStatus(ledger: 'innerVehicles' | 'machines', input: ParsedInput<'innerVehicles.setStatus'>, actor: Actor | null): EntityRow {
    const row = this.existing(ledger, input.id)
    const statusField = ENTITY_TABLES[ledger].statusField!
    const fields = { ...row.fields, [statusField]: input.status }
    const value = this.valueOf(ledger, fields, this.imagesOf(row, {}))
    const problems = preflightProblems(LEDGER_KINDS[ledger], value)
    if (problems.length > 0) throw new LedgerInputError(problems)
    this.store.transaction(() =>
      this.writeEntity({ ledger, id: row.id, fields, newImages: {}, value, passageId: row.passageId }, who(actor), 'status', input.note)
    )
    this.afterWrite(ledger, [row.id])
    return this.store.ledgers.entity(ledger, row.id)!
  }

  /**
   * Checks an entity input as the platform would: images decoded and converted, then the spec value built and run
   * through pre-flight. Problems name the spec field; no plan when there is any.
   */
  async planEntity(ledger: EntityLedger, input: EntityInput): Promise<{ plan: EntityPlan | null; problems: PreflightProblem[] }> {
    const def = ENTITY_TABLES[ledger]
    const existing = input.id !== undefined ? this.existing(ledger, input.id) : null
    const fields = Object.fromEntries(Object.keys(def.columns).map((field) => [field, String(input[field] ?? '')]))
    const problems: PreflightProblem[] = []
    const newImages: Record<string, Buffer> = {}
    for (const field of Object.keys(def.images)) {
      const base64 = input[field]
      if (typeof base64 !== 'string' || base64 === '') continue
      try {
        newImages[field] = (await prepareUploadImage(Buffer.from(base64, 'base64'))).jpeg
      } catch (error) {
        if (!(error instanceof PhotoProblemError)) throw error
        problems.push({ field, message: `${field}（${IMAGE_LABELS[field]}）${error.message}` })
      }
    }
    const sameKey = this.store.ledgers.entityByKey(ledger, fields)
    const current = existing ?? sameKey
    // The picture already on file (e.g. an exported workbook imported again) is not a change.
    for (const [field, jpeg] of Object.entries(newImages)) {
      const imageId = current?.images[field]
      if (imageId && this.store.ledgers.image(imageId)?.equals(jpeg)) delete newImages[field]
    }
    if (existing && sameKey && sameKey.id !== existing.id) {
      problems.push({ field: def.key[0]!, message: `${def.key.map((field) => fields[field]).join(' ')} 已有另一条台账记录（编号 ${sameKey.id}）` })
    }
    const value = this.valueOf(ledger, fields, this.imagesOf(current, newImages))
    const reported = new Set(problems.map((problem) => problem.field))
    // An image refused above is empty in the value: its "missing" is the same problem, already named.
    problems.push(...preflightProblems(LEDGER_KINDS[ledger], value).filter((problem) => !(reported.has(problem.field) && problem.field in def.images)))
    if (typeof input.passageId === 'number' && !this.store.passages.get(input.passageId)) {
      problems.push({ field: 'passageId', message: `没有编号为 ${input.passageId} 的过车记录` })
    }
    if (problems.length > 0) return { plan: null, problems }
    const passageId = typeof input.passageId === 'number' ? input.passageId : (current?.passageId ?? null)
    return { plan: { ledger, id: current?.id ?? null, fields, newImages, value, passageId }, problems }
  }

  /** Writes a checked entity change, its history and its outbox row; call inside store.transaction. Returns the row id. */
  writeEntity(plan: EntityPlan, by: Who, action: LedgerAction, note: string): number {
    const { ledgers } = this.store
    const now = this.options.now()
    const { ledger } = plan
    const before = plan.id !== null ? ledgers.entity(ledger, plan.id) : ledgers.entityByKey(ledger, plan.fields)
    const images: Record<string, number | null> = { ...before?.images }
    const changes = diff(before?.fields ?? null, plan.fields)
    for (const [field, jpeg] of Object.entries(plan.newImages)) {
      images[field] = ledgers.addImage(jpeg, now)
      changes[field] = { from: before?.images[field] ? '已上传' : null, to: before?.images[field] ? '已更换' : '已上传' }
    }
    if (before && Object.keys(changes).length === 0) return before.id
    let id: number
    if (before) {
      id = before.id
      ledgers.updateEntity(ledger, id, plan.fields, images, plan.passageId, by.name, now)
    } else {
      id = ledgers.insertEntity(ledger, plan.fields, images, plan.passageId, by.name, now)
    }
    this.queue(ledger, id, action, changes, note, by, now, (idemKey) => ({ kind: LEDGER_KINDS[ledger], idemKey, chain: ledgerChain(ledger, id), payload: plan.value }))
    return id
  }

  /** An import's checked rows, all in one transaction (all or nothing). Returns how many were written. */
  writeImport(ledger: LedgerKind, goodsPlans: readonly GoodsPlan[], entityPlans: readonly EntityPlan[], actor: Actor | null): number {
    const by = who(actor)
    const ids = this.store.transaction(() =>
      ledger === 'goods' ? goodsPlans.map((plan) => this.writeGoods(plan, by, 'import')) : entityPlans.map((plan) => this.writeEntity(plan, by, 'import', ''))
    )
    this.afterWrite(ledger, ids)
    return ids.length
  }

  page(ledger: EntityLedger, query: { plate?: string | undefined; status?: string | undefined; upload?: UploadState | undefined; offset: number; limit: number }) {
    return this.store.ledgers.entityPage(ledger, { ...query, plate: ledger === 'machines' ? query.plate?.toUpperCase() : plateQuery(query.plate) })
  }

  history(ledger: LedgerKind, id: number): LedgerChange[] {
    return this.store.ledgers.history(ledger, id).map((change) => ({ ...change, at: isoOf(change.at) }))
  }

  image(ledger: LedgerKind, id: number, field: string): Buffer {
    if (ledger === 'goods') throw new LedgerRefusal('not_found', '货物台账没有图片')
    const row = this.existing(ledger, id)
    const imageId = row.images[field]
    const jpeg = imageId ? this.store.ledgers.image(imageId) : null
    if (!jpeg) throw new LedgerRefusal('not_found', `该记录没有${IMAGE_LABELS[field] ?? field}`)
    return jpeg
  }

  /** The sync worker settled an outbox row: a ledger row's upload state may have changed. */
  outboxSettled(item: OutboxItem): void {
    if (!Object.values(LEDGER_KINDS).includes(item.kind)) return
    const row = this.store.ledgers.rowOfOutbox(item.id)
    if (row) this.options.onChanged(row.ledger, row.rowId)
  }

  /** After a commit: tell the lists, wake the sync worker. */
  afterWrite(ledger: LedgerKind, ids: readonly number[]): void {
    for (const id of ids) this.options.onChanged(ledger, id)
    this.options.onQueued()
  }

  existing(ledger: EntityLedger, id: number): EntityRow {
    const row = this.store.ledgers.entity(ledger, id)
    if (!row) throw new LedgerRefusal('not_found', `台账中没有编号为 ${id} 的记录`)
    return row
  }

  private passageByLsh(lsh: string) {
    const id = this.store.passages.idByLsh(lsh)
    return id === null ? null : this.store.passages.get(id)
  }

  /** The images of a value: newly picked ones, else those on file (base64), else ''. */
  private imagesOf(row: EntityRow | null, newImages: Record<string, Buffer>): Record<string, string> {
    const images: Record<string, string> = {}
    for (const field of ['drivingLicenseImg', 'drivingLicenseImg2', 'imageInfo']) {
      const stored = row?.images[field] ? this.store.ledgers.image(row.images[field]) : null
      images[field] = (newImages[field] ?? stored)?.toString('base64') ?? ''
    }
    return images
  }

  private valueOf(ledger: EntityLedger, fields: Record<string, string>, images: Record<string, string>): Record<string, string> {
    const { enterprise } = this.options
    const licences = { drivingLicenseImg: images.drivingLicenseImg!, drivingLicenseImg2: images.drivingLicenseImg2! }
    switch (ledger) {
      case 'vehicles':
        return vehicleRegistrationValue(enterprise, fields as VehicleFields, licences)
      case 'innerVehicles':
        return innerVehicleValue(enterprise, fields as VehicleFields & { carStatus: string }, licences)
      case 'machines':
        return machineValue(enterprise, fields as MachineFields, images.imageInfo!)
    }
  }

  /** The change's history entry and its outbox row, linked both ways (the entry shows the row's upload state). */
  private queue(
    ledger: LedgerKind,
    id: number,
    action: LedgerAction,
    changes: Record<string, { from: string | null; to: string }>,
    note: string,
    by: Who,
    now: number,
    item: (idemKey: string) => Parameters<Store['outbox']['add']>[0]
  ): void {
    const changeId = this.store.ledgers.addChange({ ledger, rowId: id, by: by.name, byUser: by.userId, action, changes, note }, now)
    const outboxId = this.store.outbox.add(item(`${ledger}:${id}:${changeId}`), now)
    this.store.ledgers.setChangeOutbox(changeId, outboxId)
  }
}

function who(actor: Actor | null): Who {
  return { name: actorName(actor), userId: actor?.userId ?? null }
}

function plateQuery(plate: string | undefined): string | undefined {
  const normalised = plate ? normalizePlate(plate) : ''
  return normalised === '' ? undefined : normalised
}

function diff(before: Record<string, string> | null, after: Record<string, string>): Record<string, { from: string | null; to: string }> {
  const changes: Record<string, { from: string | null; to: string }> = {}
  for (const [field, to] of Object.entries(after)) {
    const from = before ? (before[field] ?? '') : null
    if (from !== to && !(from === null && to === '')) changes[field] = { from, to }
  }
  return changes
}

function meta(row: { id: number; createdAt: number; updatedAt: number; updatedBy: string; upload: UploadState; uploadError: string | null }) {
  return { id: row.id, createdAt: isoOf(row.createdAt), updatedAt: isoOf(row.updatedAt), updatedBy: row.updatedBy, upload: row.upload, uploadError: row.uploadError }
}

export function goodsView(row: GoodsRow): GoodsRecord {
  return {
    ...meta(row),
    passageId: row.passageId,
    lsh: row.lsh,
    laneId: row.laneId,
    gateCode: row.gateCode,
    plate: row.cphm,
    plateColour: row.cpys,
    hwmc: row.hwmc,
    ysl: row.ysl,
    djsj: row.djsj,
    weighed: row.weighed,
    source: row.source
  }
}

function vehicleFieldsOf(row: EntityRow) {
  const { carStatus: _status, ...fields } = row.fields
  return {
    ...(fields as VehicleFields),
    drivingLicenseImg: row.images.drivingLicenseImg !== null,
    drivingLicenseImg2: row.images.drivingLicenseImg2 !== null
  }
}

export function vehicleView(row: EntityRow): VehicleRegistration {
  return { ...meta(row), ...vehicleFieldsOf(row), passageId: row.passageId }
}

export function innerVehicleView(row: EntityRow): InnerVehicleView {
  return { ...meta(row), ...vehicleFieldsOf(row), carStatus: row.fields.carStatus as InnerVehicleView['carStatus'] }
}

export function machineView(row: EntityRow): MachineView {
  const fields = row.fields as MachineFields
  return { ...meta(row), ...fields, mhyStatus: fields.mhyStatus as MachineView['mhyStatus'], imageInfo: row.images.imageInfo !== null }
}
