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
import type { OutboxItem } from '../sync'
import { diff } from './changes'
import { ENTITY_LEDGERS, LEDGER_KINDS, type EntityLedger } from './fields'
import type { ChangeMeta, EntityRow, EntityWrite, GoodsRow, GoodsWrite, LedgerAction, LedgerRepo } from './repo'

export const IMAGE_LABELS: Record<string, string> = { drivingLicenseImg: '行驶证图片', drivingLicenseImg2: '随车清单图片', imageInfo: '铭牌图片' }

/** Demo mode's goods names until the admin sets the plant's own. */
export const DEMO_GOODS_NAMES = ['铁矿石', '焦炭', '煤炭', '石灰石', '钢坯', '螺纹钢', '废钢', '水渣', '石子', '砂子']

/**
 * A refusal of a ledger input: `invalid_input` with one issue per field (its path the spec field name), in Chinese.
 * Pre-flight names a field as `vin（车辆识别代码）` for the log and the dead letters; the form reads only the label.
 */
export class LedgerInputError extends ApiFailure {
  override name = 'LedgerInputError'
  constructor(problems: PreflightProblem[]) {
    const messages = problems.map((problem) => ({ path: problem.field, message: withoutFieldName(problem) }))
    super('invalid_input', messages.map((issue) => issue.message).join('；'), messages)
  }
}

function withoutFieldName({ message }: PreflightProblem): string {
  return message.replace(/[A-Za-z][A-Za-z0-9]*（([^）]*)）/g, '$1')
}

/** A refusal that is not about one field. */
export class LedgerRefusal extends ApiFailure {
  override name = 'LedgerRefusal'
  constructor(code: 'not_found' | 'forbidden' | 'unknown_lane' | 'invalid_input', message: string) {
    super(code, message)
  }
}

/** A weighbridge as goods entry reads it: its latest reading, if any (the booth's scale adapters have this). */
export interface WeighbridgeReader {
  current(): { kg: number; stable: boolean; at: number } | null
}

export interface LedgerServiceOptions {
  repo: LedgerRepo
  enterprise: FilingEnterprise
  /** The platform-corrected clock (records are stamped with it, like the lane's). */
  now: () => number
  /** The lane's weighbridge; undefined for a lane that does not exist. */
  /** The lane's weighbridge (undefined: no such lane; null: the lane has none). */
  scaleOf: (laneId: string) => WeighbridgeReader | null | undefined
  /** A ledger row was written or its upload state changed. */
  onChanged: (ledger: LedgerKind, id: number) => void
  /** New outbox rows were committed. */
  onQueued: () => void
  demo: boolean
}

type EntityInput = Record<string, string | number | undefined> & { id?: number | undefined }

/** A validated entity change, ready to be written with its history entry and its outbox row. */
export type EntityPlan = EntityWrite

/** A validated goods entry, ready to be written. */
export type GoodsPlan = GoodsWrite

/**
 * The admin ledgers (台账, issue #8): every change is checked with the same pre-flight as the sync worker, written with
 * its history entry and its outbox row in one transaction, and uploaded by the sync worker in the order it was made
 * (one outbox chain per ledger row; a goods record after its passage's record).
 */
export class LedgerService {
  private readonly repo: LedgerRepo

  constructor(private readonly options: LedgerServiceOptions) {
    this.repo = options.repo
  }

  // ---- goods (4.1.6)

  /** A guard enters the goods of a passage once; changing recorded goods needs an admin. */
  async recordGoods(input: ParsedInput<'goods.record'>, actor: Actor | null): Promise<GoodsRecord> {
    const existing = await this.repo.goodsOfPassage(input.passageId)
    if (existing && actor?.role !== 'admin') throw new LedgerRefusal('forbidden', '该过车记录已登记货物，修改需要管理员权限')
    const { plan, problems } = await this.planGoods({ passageId: input.passageId, hwmc: input.hwmc, ysl: input.ysl, weighed: input.weighed, source: actor?.role === 'admin' ? 'admin' : 'guard' })
    if (!plan) throw new LedgerInputError(problems)
    const [id] = await this.repo.writeGoods([plan], changeMeta(actor, plan.existingId !== null ? 'update' : 'create', ''), this.options.now())
    this.afterWrite('goods', [id!])
    return goodsView((await this.repo.goods(id!))!)
  }

  /** Checks a goods entry for a passage (by id or lsh); problems name the spec field. */
  async planGoods(input: { passageId?: number; lsh?: string; hwmc: string; ysl: string; weighed: boolean; source: GoodsRow['source'] }): Promise<{ plan: GoodsPlan | null; problems: PreflightProblem[] }> {
    const passage = input.passageId !== undefined ? await this.repo.passage(input.passageId) : await this.repo.passageByLsh(input.lsh ?? '')
    if (!passage) {
      if (input.passageId !== undefined) throw new LedgerRefusal('not_found', `没有编号为 ${input.passageId} 的过车记录`)
      return { plan: null, problems: [{ field: 'lsh', message: `lsh（流水号）${input.lsh ?? ''} 在本机没有对应的过车记录` }] }
    }
    // Goods travel with a truck that went through: a refused or never-raised passage carries none.
    if (passage.bgzt !== '1' && !passage.forced) {
      const why = `${passage.plate} 未通过道闸（${passage.decision === 'refuse' ? '已拒绝' : '未抬杆放行'}），不能登记货物`
      if (input.passageId !== undefined) throw new LedgerRefusal('invalid_input', why)
      return { plan: null, problems: [{ field: 'lsh', message: why }] }
    }
    const existing = await this.repo.goodsOfPassage(passage.id)
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
    const changes = diff(existing ? { hwmc: existing.hwmc, ysl: existing.ysl } : null, { hwmc: goods.hwmc, ysl: goods.ysl })
    return { plan: problems.length === 0 ? { existingId: existing?.id ?? null, goods, changes, value } : null, problems }
  }

  async goodsPage(query: ParsedInput<'goods.list'>): Promise<{ rows: GoodsRecord[]; total: number }> {
    const page = await this.repo.goodsPage({ ...query, plate: plateQuery(query.plate) })
    return { rows: page.rows.map(goodsView), total: page.total }
  }

  async goodsForPassage(passageId: number): Promise<GoodsRecord | null> {
    const row = await this.repo.goodsOfPassage(passageId)
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

  /** The plant's goods names; in demo mode, the demo's until the admin sets the plant's own. */
  async goodsNames(): Promise<string[]> {
    const names = await this.repo.goodsNames()
    if (names.length > 0 || !this.options.demo) return names
    await this.repo.setGoodsNames(DEMO_GOODS_NAMES)
    return this.repo.goodsNames()
  }

  async setGoodsNames(names: readonly string[]): Promise<string[]> {
    await this.repo.setGoodsNames([...new Set(names)])
    return this.goodsNames()
  }

  // ---- vehicles (4.1.2), in-plant vehicles (4.1.7), machines (4.1.8)

  async save(ledger: EntityLedger, input: EntityInput, actor: Actor | null): Promise<EntityRow> {
    const { plan, problems } = await this.planEntity(ledger, input)
    if (!plan) throw new LedgerInputError(problems)
    const [id] = await this.repo.writeEntities([plan], changeMeta(actor, plan.id === null ? 'create' : 'update', ''), this.options.now())
    this.afterWrite(ledger, [id!])
    return (await this.repo.entity(ledger, id!))!
  }

  /** carStatus / mhyStatus: 1 正常, 2 封存, 3 注销, with the reason in the history. */
  async setStatus(ledger: 'innerVehicles' | 'machines', input: ParsedInput<'innerVehicles.setStatus'>, actor: Actor | null): Promise<EntityRow> {
    const row = await this.existing(ledger, input.id)
    const statusField = ENTITY_LEDGERS[ledger].statusField!
    const fields = { ...row.fields, [statusField]: input.status }
    const value = this.valueOf(ledger, fields, await this.imagesOf(row, {}))
    const problems = preflightProblems(LEDGER_KINDS[ledger], value)
    if (problems.length > 0) throw new LedgerInputError(problems)
    await this.repo.writeEntities([{ ledger, id: row.id, fields, newImages: {}, value, passageId: row.passageId }], changeMeta(actor, 'status', input.note), this.options.now())
    this.afterWrite(ledger, [row.id])
    return (await this.repo.entity(ledger, row.id))!
  }

  /**
   * Checks an entity input as the platform would: images decoded and converted, then the spec value built and run
   * through pre-flight. Problems name the spec field; no plan when there is any.
   */
  async planEntity(ledger: EntityLedger, input: EntityInput): Promise<{ plan: EntityPlan | null; problems: PreflightProblem[] }> {
    const def = ENTITY_LEDGERS[ledger]
    const existing = input.id !== undefined ? await this.existing(ledger, input.id) : null
    const fields = Object.fromEntries(def.fields.map((field) => [field, String(input[field] ?? '')]))
    const problems: PreflightProblem[] = []
    const newImages: Record<string, Buffer> = {}
    for (const field of def.images) {
      const base64 = input[field]
      if (typeof base64 !== 'string' || base64 === '') continue
      try {
        newImages[field] = (await prepareUploadImage(Buffer.from(base64, 'base64'))).jpeg
      } catch (error) {
        if (!(error instanceof PhotoProblemError)) throw error
        problems.push({ field, message: `${field}（${IMAGE_LABELS[field]}）${error.message}` })
      }
    }
    const sameKey = await this.repo.entityByKey(ledger, fields)
    const current = existing ?? sameKey
    // The picture already on file (e.g. an exported workbook imported again) is not a change.
    for (const [field, jpeg] of Object.entries(newImages)) {
      const imageId = current?.images[field]
      if (imageId && (await this.repo.image(imageId))?.equals(jpeg)) delete newImages[field]
    }
    if (existing && sameKey && sameKey.id !== existing.id) {
      problems.push({ field: def.key[0]!, message: `${def.key.map((field) => fields[field]).join(' ')} 已有另一条台账记录（编号 ${sameKey.id}）` })
    }
    const value = this.valueOf(ledger, fields, await this.imagesOf(current, newImages))
    const reported = new Set(problems.map((problem) => problem.field))
    // An image refused above is empty in the value: its "missing" is the same problem, already named.
    problems.push(...preflightProblems(LEDGER_KINDS[ledger], value).filter((problem) => !(reported.has(problem.field) && def.images.includes(problem.field))))
    if (typeof input.passageId === 'number' && !(await this.repo.passage(input.passageId))) {
      problems.push({ field: 'passageId', message: `没有编号为 ${input.passageId} 的过车记录` })
    }
    if (problems.length > 0) return { plan: null, problems }
    const passageId = typeof input.passageId === 'number' ? input.passageId : (current?.passageId ?? null)
    return { plan: { ledger, id: current?.id ?? null, fields, newImages, value, passageId }, problems }
  }

  /** An import's checked rows, all in one transaction (all or nothing). Returns how many were written. */
  async writeImport(ledger: LedgerKind, goodsPlans: readonly GoodsPlan[], entityPlans: readonly EntityPlan[], actor: Actor | null): Promise<number> {
    const meta = changeMeta(actor, 'import', '')
    const ids = ledger === 'goods' ? await this.repo.writeGoods(goodsPlans, meta, this.options.now()) : await this.repo.writeEntities(entityPlans, meta, this.options.now())
    this.afterWrite(ledger, ids)
    return ids.length
  }

  page(ledger: EntityLedger, query: { plate?: string | undefined; status?: string | undefined; upload?: UploadState | undefined; offset: number; limit: number }) {
    return this.repo.entityPage(ledger, { ...query, plate: ledger === 'machines' ? query.plate?.toUpperCase() : plateQuery(query.plate) })
  }

  async history(ledger: LedgerKind, id: number): Promise<LedgerChange[]> {
    return (await this.repo.history(ledger, id)).map((change) => ({ ...change, at: isoOf(change.at) }))
  }

  async image(ledger: LedgerKind, id: number, field: string): Promise<Buffer> {
    if (ledger === 'goods') throw new LedgerRefusal('not_found', '货物台账没有图片')
    const row = await this.existing(ledger, id)
    const imageId = row.images[field]
    const jpeg = imageId ? await this.repo.image(imageId) : null
    if (!jpeg) throw new LedgerRefusal('not_found', `该记录没有${IMAGE_LABELS[field] ?? field}`)
    return jpeg
  }

  /** The sync worker settled an outbox row: a ledger row's upload state may have changed. */
  async outboxSettled(item: OutboxItem): Promise<void> {
    if (!Object.values(LEDGER_KINDS).includes(item.kind)) return
    const row = await this.repo.rowOfOutbox(item.id)
    if (row) this.options.onChanged(row.ledger, row.rowId)
  }

  /** After a commit: tell the lists, wake the sync worker. */
  afterWrite(ledger: LedgerKind, ids: readonly number[]): void {
    for (const id of ids) this.options.onChanged(ledger, id)
    this.options.onQueued()
  }

  async existing(ledger: EntityLedger, id: number): Promise<EntityRow> {
    const row = await this.repo.entity(ledger, id)
    if (!row) throw new LedgerRefusal('not_found', `台账中没有编号为 ${id} 的记录`)
    return row
  }

  /** The images of a value: newly picked ones, else those on file (base64), else ''. */
  private async imagesOf(row: EntityRow | null, newImages: Record<string, Buffer>): Promise<Record<string, string>> {
    const images: Record<string, string> = {}
    for (const field of ['drivingLicenseImg', 'drivingLicenseImg2', 'imageInfo']) {
      const stored = row?.images[field] ? await this.repo.image(row.images[field]) : null
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
}

function changeMeta(actor: Actor | null, action: LedgerAction, note: string): ChangeMeta {
  return { by: actorName(actor), byUser: actor?.userId ?? null, action, note }
}

function plateQuery(plate: string | undefined): string | undefined {
  const normalised = plate ? normalizePlate(plate) : ''
  return normalised === '' ? undefined : normalised
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
