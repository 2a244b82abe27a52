import type { Decision, Direction, Passage, UploadState, Verdict } from '@shared/contract'
import { normalizePlate } from '@shared/plate'
import type { Db } from './db'

export interface PassageFilter {
  limit: number
  plate?: string | undefined
  laneId?: string | undefined
  decision?: Decision | undefined
  upload?: UploadState | undefined
  from?: string | undefined
}

export interface NewPassage {
  lsh: string
  laneId: string
  gateCode: string
  direction: Direction
  plate: string
  plateColour: string
  recognizedAt: number
  tgsjq: string
  tgsjz: string
  decision: Decision
  reasonCode: string
  reasonText: string
  decidedOffline: boolean
  verdict: Verdict | null
  bgzt: '0' | '1'
  source: 'manual' | 'lpr'
}

interface PassageRow {
  id: number
  lsh: string
  lane_id: string
  gate_code: string
  direction: Direction
  plate: string
  plate_colour: string
  recognized_at: number
  tgsjq: string
  tgsjz: string
  decision: Decision
  reason_code: string
  reason_text: string
  decided_offline: number
  verdict_json: string | null
  bgzt: '0' | '1'
  source: 'manual' | 'lpr'
  photo_count: number
  pending_count: number
  dead_count: number
  upload_error: string | null
}

/** A passage with the upload state derived from its outbox rows: any dead → failed, any pending → pending. */
const SELECT_PASSAGE = `
  SELECT p.*,
         (SELECT COUNT(*) FROM photos ph WHERE ph.passage_id = p.id) AS photo_count,
         (SELECT COUNT(*) FROM outbox o WHERE o.passage_id = p.id AND o.state = 'pending') AS pending_count,
         (SELECT COUNT(*) FROM outbox o WHERE o.passage_id = p.id AND o.state = 'dead') AS dead_count,
         (SELECT o.last_error FROM outbox o WHERE o.passage_id = p.id AND o.state != 'done' AND o.last_error IS NOT NULL
           ORDER BY o.state = 'dead' DESC, o.id LIMIT 1) AS upload_error
    FROM passages p`

export class Passages {
  constructor(private readonly db: Db) {}

  insert(passage: NewPassage, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO passages (lsh, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision,
                               reason_code, reason_text, decided_offline, verdict_json, bgzt, source, created_at)
         VALUES (@lsh, @laneId, @gateCode, @direction, @plate, @plateColour, @recognizedAt, @tgsjq, @tgsjz, @decision,
                 @reasonCode, @reasonText, @decidedOffline, @verdictJson, @bgzt, @source, @createdAt)`
      )
      .run({
        ...passage,
        decidedOffline: passage.decidedOffline ? 1 : 0,
        verdictJson: passage.verdict ? JSON.stringify(passage.verdict) : null,
        createdAt: now
      })
    return Number(result.lastInsertRowid)
  }

  lshExists(lsh: string): boolean {
    return this.db.prepare('SELECT 1 FROM passages WHERE lsh = ?').get(lsh) !== undefined
  }

  get(id: number): Passage | null {
    const row = this.db.prepare(`${SELECT_PASSAGE} WHERE p.id = ?`).get(id) as PassageRow | undefined
    return row ? toPassage(row) : null
  }

  /** Newest first, filtered in SQL (the upload state is derived, so it is filtered on the derived counts). */
  list(filter: PassageFilter): Passage[] {
    const where: string[] = []
    const params: Record<string, unknown> = { limit: filter.limit }
    if (filter.plate) {
      where.push(`plate LIKE @plate ESCAPE '\\'`)
      params.plate = `%${normalizePlate(filter.plate).replace(/[\\%_]/g, '\\$&')}%`
    }
    if (filter.laneId) {
      where.push('lane_id = @laneId')
      params.laneId = filter.laneId
    }
    if (filter.decision) {
      where.push('decision = @decision')
      params.decision = filter.decision
    }
    if (filter.from) {
      where.push('recognized_at >= @from')
      params.from = Date.parse(filter.from)
    }
    if (filter.upload === 'failed') where.push('dead_count > 0')
    if (filter.upload === 'pending') where.push('dead_count = 0 AND pending_count > 0')
    if (filter.upload === 'uploaded') where.push('dead_count = 0 AND pending_count = 0')
    const sql = `SELECT * FROM (${SELECT_PASSAGE}) ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY recognized_at DESC, id DESC LIMIT @limit`
    return (this.db.prepare(sql).all(params) as PassageRow[]).map(toPassage)
  }

  latest(limit: number): Passage[] {
    const rows = this.db.prepare(`${SELECT_PASSAGE} ORDER BY p.recognized_at DESC, p.id DESC LIMIT ?`).all(limit) as PassageRow[]
    return rows.map(toPassage)
  }
}

function uploadStateOf(row: PassageRow): UploadState {
  if (row.dead_count > 0) return 'failed'
  if (row.pending_count > 0) return 'pending'
  return 'uploaded'
}

function toPassage(row: PassageRow): Passage {
  return {
    id: row.id,
    lsh: row.lsh,
    laneId: row.lane_id,
    gateCode: row.gate_code,
    direction: row.direction,
    plate: row.plate,
    plateColour: row.plate_colour,
    recognizedAt: new Date(row.recognized_at).toISOString(),
    tgsjq: row.tgsjq,
    tgsjz: row.tgsjz,
    decision: row.decision,
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
    decidedOffline: row.decided_offline === 1,
    verdict: row.verdict_json ? (JSON.parse(row.verdict_json) as Verdict) : null,
    bgzt: row.bgzt,
    source: row.source,
    photoCount: row.photo_count,
    upload: uploadStateOf(row),
    uploadError: row.upload_error
  }
}
