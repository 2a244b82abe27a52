import { diff } from '../../core/ledgers/changes'
import { ledgerChain } from '../../core/ledgers/fields'
import type { RecordUpWire } from '../../core/plant-link'
import type { NewPassage } from '../../core/repos'
import { PHOTO_KIND } from '../../core/sync/queue'
import { addOutboxRow } from './outbox-queue'
import { inTransaction, type Client, type Pool } from './pool'

/** A passage as a booth sends it up: the passage and the shareDrivingRecord value it recorded for the city platform. */
export interface PassageUp extends NewPassage {
  gateSignal?: '0' | '1' | '2' | null | undefined
  forced?: boolean | undefined
  originalPlate?: string | null | undefined
  originalPlateColour?: string | null | undefined
  /** The spec record value (4.1.4), sent to the city platform as it is. */
  record: Record<string, string>
  /** The city platform already accepted the record at this instant (a standalone booth's history, moved in): kept, not re-sent. */
  acceptedAt?: number | undefined
}

/** A photo's index entry as a booth sends it up; the plant has stored its bytes at `path` (under its photo folder). */
export interface PhotoUp {
  lsh: string
  zpbh: string
  zplx: string
  path: string
  sha256: string
  bytes: number
  takenAt: number
  /** The sharePhotoInfo value (4.1.5). */
  record: Record<string, string>
  acceptedAt?: number | undefined
}

/** accepted: new at the plant; duplicate: that key was already here (a resend), nothing written; unknown: its passage is not (yet) here. */
export type IntakeResult = 'accepted' | 'duplicate' | 'unknownPassage'

/**
 * What booths send up, exactly once by key: a passage by lsh, a photo by (lsh, zpbh). Each batch is one
 * transaction: the rows, their city-platform outbox rows (a photo after its passage's record) and the rollups
 * (triggers) commit together, so a plant killed mid-batch has taken all of it or none, and the booth's resend of the
 * same keys is answered `duplicate`.
 */
export class Intake {
  constructor(private readonly pool: Pool) {}

  async passages(boothId: string, batch: readonly PassageUp[], now: number): Promise<IntakeResult[]> {
    return inTransaction(this.pool, async (client) => {
      const results: IntakeResult[] = []
      for (const passage of batch) results.push(await insertPassage(client, boothId, passage, now))
      return results
    })
  }

  /**
   * A booth's other uploads (goods, ledger changes), keyed at the plant by booth and the booth's own key. The
   * booth's chain (its key without the change number: `innerVehicles:12`) stays a chain here, and a goods record
   * waits for its passage's record.
   */
  async records(boothId: string, batch: readonly RecordUpWire[], now: number): Promise<IntakeResult[]> {
    return inTransaction(this.pool, async (client) => {
      const results: IntakeResult[] = []
      for (const item of batch) {
        let afterId: number | undefined
        let passage: GoodsPassage | undefined
        if (item.kind === 'shareGoodsRecord') {
          passage = (
            await client.query<GoodsPassage>(
              `SELECT p.id, p.lsh, p.lane_id, p.gate_code, p.plate, p.plate_colour, o.id AS record_id
                 FROM passages p JOIN outbox o ON o.passage_id = p.id AND o.kind = 'shareDrivingRecord' WHERE p.lsh = $1`,
              [item.value.lsh ?? '']
            )
          ).rows[0]
          if (!passage) {
            results.push('unknownPassage')
            continue
          }
          afterId = passage.record_id
        }
        const chain = item.idemKey.includes(':') ? `${boothId}:${item.idemKey.slice(0, item.idemKey.lastIndexOf(':'))}` : undefined
        const id = await addOutboxRow(
          client,
          { kind: item.kind, idemKey: `${boothId}:${item.idemKey}`, payload: item.value, ...(afterId === undefined ? {} : { afterId }), ...(chain === undefined ? {} : { chain }) },
          now
        )
        if (id !== null && passage) await fileGoods(client, passage, item, id, now)
        results.push(id === null ? 'duplicate' : 'accepted')
      }
      return results
    })
  }

  async photos(batch: readonly PhotoUp[], now: number): Promise<IntakeResult[]> {
    return inTransaction(this.pool, async (client) => {
      const results: IntakeResult[] = []
      for (const photo of batch) results.push(await insertPhoto(client, photo, now))
      return results
    })
  }
}

async function insertPassage(client: Client, boothId: string, p: PassageUp, now: number): Promise<IntakeResult> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO passages (lsh, booth_id, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
       reason_text, decided_offline, verdict, bgzt, source, gate_signal, forced, original_plate, original_plate_colour, received_at, vehicle_class)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     ON CONFLICT (lsh) DO NOTHING RETURNING id`,
    [
      p.lsh, boothId, p.laneId, p.gateCode, p.direction, p.plate, p.plateColour, p.recognizedAt, p.tgsjq, p.tgsjz, p.decision, p.reasonCode,
      p.reasonText, p.decidedOffline, p.verdict === null ? null : JSON.stringify(p.verdict), p.bgzt, p.source, p.gateSignal ?? null,
      p.forced ?? false, p.originalPlate ?? null, p.originalPlateColour ?? null, now, p.vehicleClass ?? null
    ]
  )
  const passageId = rows[0]?.id
  if (passageId === undefined) return 'duplicate'
  // A gate's records go to the city one at a time in the order they arrive, which is the booth's recording order.
  const rowId = await addOutboxRow(client, { kind: 'shareDrivingRecord', idemKey: p.lsh, passageId, payload: p.record, orderKey: p.gateCode }, now)
  if (rowId !== null && p.acceptedAt !== undefined) await markAccepted(client, rowId, p.acceptedAt)
  return 'accepted'
}

async function insertPhoto(client: Client, photo: PhotoUp, now: number): Promise<IntakeResult> {
  const passage = (
    await client.query<{ id: number; record_id: number | null }>(
      `SELECT p.id, o.id AS record_id FROM passages p LEFT JOIN outbox o ON o.passage_id = p.id AND o.kind = 'shareDrivingRecord' WHERE p.lsh = $1`,
      [photo.lsh]
    )
  ).rows[0]
  if (!passage) return 'unknownPassage'
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO photos (passage_id, zpbh, zplx, path, sha256, bytes, taken_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (passage_id, zpbh) DO NOTHING RETURNING id`,
    [passage.id, photo.zpbh, photo.zplx, photo.path, photo.sha256, photo.bytes, photo.takenAt]
  )
  const photoId = rows[0]?.id
  if (photoId === undefined) return 'duplicate'
  const rowId = await addOutboxRow(
    client,
    { kind: PHOTO_KIND, idemKey: `${photo.lsh}_${photo.zpbh}`, passageId: passage.id, photoId, ...(passage.record_id === null ? {} : { afterId: passage.record_id }), payload: photo.record },
    now
  )
  if (rowId !== null && photo.acceptedAt !== undefined) await markAccepted(client, rowId, photo.acceptedAt)
  return 'accepted'
}

interface GoodsPassage {
  id: number
  lsh: string
  lane_id: string
  gate_code: string
  plate: string
  plate_colour: string
  record_id: number
}

/**
 * A booth's goods record (new, not a resend) as a row of the plant's goods ledger, by its passage: filed once, a
 * later change of the booth's updates it. Its upload is the booth's record: the row's chain at the plant (`goods:id`)
 * replaces the booth's own, so the ledger shows that record's state, and the history names the gate's booth. 录入方式
 * is who filed it at the booth, as the booth says (门卫 when it does not); whether it was weighed is not on the wire.
 */
async function fileGoods(client: Client, passage: GoodsPassage, { value, source }: RecordUpWire, outboxId: number, now: number): Promise<void> {
  const by = `${passage.gate_code} 号门岗亭`
  const before = (await client.query<{ hwmc: string; ysl: string }>('SELECT hwmc, ysl FROM goods WHERE passage_id = $1', [passage.id])).rows[0] ?? null
  const after = { hwmc: value.hwmc ?? '', ysl: value.ysl ?? '' }
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO goods (passage_id, lsh, lane_id, gate_code, cphm, cpys, hwmc, ysl, djsj, weighed, source, created_at, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $12, $10, $10, $11)
     ON CONFLICT (passage_id) DO UPDATE SET hwmc = excluded.hwmc, ysl = excluded.ysl, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by
     RETURNING id`,
    [passage.id, passage.lsh, passage.lane_id, passage.gate_code, passage.plate, passage.plate_colour, after.hwmc, after.ysl, value.djsj ?? '', now, by, source ?? 'guard']
  )
  const goodsId = rows[0]!.id
  await client.query('UPDATE outbox SET chain = $2 WHERE id = $1', [outboxId, ledgerChain('goods', goodsId)])
  await client.query(
    `INSERT INTO ledger_changes (ledger, row_id, at, by_name, by_user, action, changes, note, outbox_id) VALUES ('goods', $1, $2, $3, NULL, $4, $5, '', $6)`,
    [goodsId, now, by, before ? 'update' : 'create', JSON.stringify(diff(before, after)), outboxId]
  )
}

async function markAccepted(client: Client, rowId: number, at: number): Promise<void> {
  await client.query(`UPDATE outbox SET state = 'done', done_at = $2, reply = '{"moved":"accepted before the plant"}' WHERE id = $1`, [rowId, at])
}
