import type { GoodsRecord, Passage } from '@shared/contract'
import type { CallOutcome } from '../../core/platform'
import { RECORD_KINDS, type PassageUpWire } from '../../core/plant-link'
import type { SyncPlatform, UploadCall } from '../../core/sync'
import { PlantLinkError, type PlantLink } from './client'

/** A passage as the booth holds it, for its record's trip to the plant (the record value travels beside it). */
export type PassageOfLsh = (lsh: string) => Promise<Passage | null>
/** Who filed the booth's goods row `id` (guard, admin, import), for the plant's goods ledger; null when it is gone. */
export type GoodsSourceOf = (id: number) => Promise<GoodsRecord['source'] | null>

const BEIJING_OFFSET_MS = 8 * 3600_000

/** `yyyy-MM-dd HH:mm:ss` Beijing time → epoch ms (NaN when malformed). */
function beijingToEpoch(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`) - BEIJING_OFFSET_MS
}

/**
 * The booth's sync worker sending to its plant instead of the city platform: the same outbox, ordering and
 * dead-letter rules; each row goes up under its own key, and the plant's `duplicate` for a resend counts as accepted.
 * A passage record carries the passage itself; a photo, its bytes; goods and ledger changes, the booth's key.
 */
export class PlantUplinkPlatform implements SyncPlatform {
  constructor(
    private readonly link: PlantLink,
    private readonly passageOf: PassageOfLsh,
    private readonly goodsSourceOf?: GoodsSourceOf
  ) {}

  async putData(ipctype: string, value: Record<string, string>, call: UploadCall): Promise<CallOutcome> {
    return outcomeOf(async () => {
      if (ipctype === 'shareDrivingRecord') {
        const passage = await this.passageOf(value.lsh ?? '')
        if (!passage) return { kind: 'reject', reason: '本岗亭找不到这条通行记录', reply: null, fixable: false }
        const [result] = await this.link.sendPassages([{ ...toWire(passage), record: value }])
        return { kind: 'ok', reply: { plant: result } }
      }
      const kind = RECORD_KINDS.find((known) => known === ipctype)
      if (!kind || !call.idemKey) return { kind: 'reject', reason: `工厂服务器不接收此类上传：${ipctype}`, reply: null, fixable: false }
      // A goods row's key is `goods:<row id>:<change id>` (the booth's ledger repo).
      const goodsRow = kind === 'shareGoodsRecord' ? Number(call.idemKey.split(':')[1]) : NaN
      const source = Number.isInteger(goodsRow) ? await this.goodsSourceOf?.(goodsRow) : null
      const [result] = await this.link.sendRecords([{ kind, idemKey: call.idemKey, value, ...(source ? { source } : {}) }])
      if (result === 'unknownPassage') return { kind: 'retry', reason: '工厂服务器尚未收到对应的通行记录' }
      return { kind: 'ok', reply: { plant: result } }
    })
  }

  /** Nothing to prepare for the plant: the photo goes up as the booth keeps it (the plant prepares it for the city). */
  async preparePhoto(value: Record<string, string>, jpeg: Uint8Array): Promise<PlantPhoto> {
    return { plantPhoto: { value, jpeg } }
  }

  async sendPhoto(upload: PlantPhoto, _call: UploadCall): Promise<CallOutcome> {
    const { value, jpeg } = upload.plantPhoto
    return outcomeOf(async () => {
      const takenAt = beijingToEpoch(value.pzsj ?? '')
      const result = await this.link.sendPhoto(
        value.lsh ?? '',
        value.zpbh ?? '',
        { zplx: value.zplx ?? '', takenAt: Number.isFinite(takenAt) ? takenAt : 0, record: value },
        Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength)
      )
      if (result === 'unknownPassage') return { kind: 'retry', reason: '工厂服务器尚未收到对应的通行记录' }
      return { kind: 'ok', reply: { plant: result } }
    })
  }
}

interface PlantPhoto {
  plantPhoto: { value: Record<string, string>; jpeg: Uint8Array }
}

/** A refusal of the data (400) is a dead letter; anything else (no answer, 5xx, a revoked credential) is tried again. */
async function outcomeOf(send: () => Promise<CallOutcome>): Promise<CallOutcome> {
  try {
    return await send()
  } catch (error) {
    const message = (error as Error).message
    if (error instanceof PlantLinkError && error.status === 400) return { kind: 'reject', reason: message, reply: null, fixable: false }
    return { kind: 'retry', reason: `工厂服务器：${message}` }
  }
}

function toWire(passage: Passage): Omit<PassageUpWire, 'record'> {
  return {
    lsh: passage.lsh,
    laneId: passage.laneId,
    gateCode: passage.gateCode,
    direction: passage.direction,
    plate: passage.plate,
    plateColour: passage.plateColour,
    recognizedAt: Date.parse(passage.recognizedAt),
    tgsjq: passage.tgsjq,
    tgsjz: passage.tgsjz,
    decision: passage.decision,
    reasonCode: passage.reasonCode,
    reasonText: passage.reasonText,
    decidedOffline: passage.decidedOffline,
    verdict: passage.verdict,
    bgzt: passage.bgzt,
    source: passage.source,
    gateSignal: passage.gateSignal ?? null,
    forced: passage.forced ?? false,
    originalPlate: passage.originalPlate ?? null,
    originalPlateColour: passage.originalPlateColour ?? null,
    vehicleClass: passage.vehicleClass ?? null
  }
}
