import type { Decision, Direction, Passage, UploadState, VehicleClass, Verdict } from '@shared/contract'
import { normalizePlate } from '@shared/plate'
import type { InsideEntry } from '../../core/alarms/store'
import type { Statement } from 'better-sqlite3'
import type { NewPassage } from '../../core/repos'
import type { Db } from './db'
import { isoOf } from '../../core/time'

export type { InsideEntry, NewPassage }

export interface PassageFilter {
  limit: number
  plate?: string | undefined
  laneId?: string | undefined
  decision?: Decision | undefined
  upload?: UploadState | undefined
  vehicleClass?: VehicleClass | undefined
  from?: string | undefined
}

/** A row of the passages table, as `SELECT p.*` reads it. */
export interface PassageTableRow {
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
  gate_signal: '0' | '1' | '2' | null
  forced: number
  raise_source: RaiseSource | null
  original_plate: string | null
  original_plate_colour: string | null
  vehicle_class: VehicleClass | null
}

interface PassageRow extends PassageTableRow {
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
  private getStatement: Statement | null = null

  constructor(private readonly db: Db) {}

  insert(passage: NewPassage, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO passages (lsh, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision,
                               reason_code, reason_text, decided_offline, verdict_json, bgzt, source, created_at, vehicle_class)
         VALUES (@lsh, @laneId, @gateCode, @direction, @plate, @plateColour, @recognizedAt, @tgsjq, @tgsjz, @decision,
                 @reasonCode, @reasonText, @decidedOffline, @verdictJson, @bgzt, @source, @createdAt, @vehicleClass)`
      )
      .run({
        ...passage,
        vehicleClass: passage.vehicleClass ?? null,
        decidedOffline: passage.decidedOffline ? 1 : 0,
        verdictJson: passage.verdict ? JSON.stringify(passage.verdict) : null,
        createdAt: now
      })
    return Number(result.lastInsertRowid)
  }

  lshExists(lsh: string): boolean {
    return this.db.prepare('SELECT 1 FROM passages WHERE lsh = ?').get(lsh) !== undefined
  }

  idByLsh(lsh: string): number | null {
    const row = this.db.prepare('SELECT id FROM passages WHERE lsh = ?').get(lsh) as { id: number } | undefined
    return row?.id ?? null
  }

  get(id: number): Passage | null {
    // Compiled once: the sync worker reads each passage back after its uploads' outcomes (compiling cost more than running).
    this.getStatement ??= this.db.prepare(`${SELECT_PASSAGE} WHERE p.id = ?`)
    const row = this.getStatement.get(id) as PassageRow | undefined
    return row ? toPassage(row) : null
  }

  /** The barrier outcome, once known: the passage's bgzt/gateSignal (ERRATA E18) and when the truck cleared. */
  finalize(id: number, outcome: PassageOutcome): void {
    this.db
      .prepare(`UPDATE passages SET bgzt = @bgzt, gate_signal = @gateSignal, tgsjz = @tgsjz, forced = @forced, raise_source = @raiseSource WHERE id = @id`)
      .run({ ...outcome, forced: outcome.forced ? 1 : 0, raiseSource: outcome.raiseSource ?? null, id })
  }

  /** A guard's manual decision replaces the automatic one; the audit row in manual_actions keeps both. */
  setDecision(id: number, decision: { decision: Decision; reasonCode: string; reasonText: string }): void {
    this.db.prepare(`UPDATE passages SET decision = ?, reason_code = ?, reason_text = ? WHERE id = ?`).run(decision.decision, decision.reasonCode, decision.reasonText, id)
  }

  /** A misread corrected: the first read is kept in original_plate(_colour), whatever later corrections follow. */
  correctPlate(id: number, plate: string, colour: string): void {
    this.db
      .prepare(
        `UPDATE passages SET original_plate = COALESCE(original_plate, plate), original_plate_colour = COALESCE(original_plate_colour, plate_colour),
                             plate = ?, plate_colour = ? WHERE id = ?`
      )
      .run(plate, colour, id)
  }

  /** The entry that put a vehicle inside the plant (passed, or forced), if no exit has followed it. */
  insideEntry(plate: string): InsideEntry | null {
    const row = this.db.prepare(`${INSIDE_ENTRIES} AND p.plate = ? ORDER BY p.recognized_at DESC LIMIT 1`).get(plate) as InsideRow | undefined
    return row ? toInside(row) : null
  }

  /** Vehicles that entered before `enteredBefore` (epoch ms) and have not left. */
  insideSince(enteredBefore: number): InsideEntry[] {
    const rows = this.db.prepare(`${INSIDE_ENTRIES} AND p.recognized_at <= ? ORDER BY p.recognized_at`).all(enteredBefore) as InsideRow[]
    return rows.map(toInside)
  }

  /** Refused passages of a plate recognised at or after `since`. */
  refusalsSince(plate: string, since: number): number {
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM passages WHERE plate = ? AND decision = 'refuse' AND recognized_at >= ?`).get(plate, since) as { n: number }
    return row.n
  }

  /**
   * Newest first, filtered in SQL (the upload state is derived, so it is filtered on the derived counts). Without an
   * upload filter the page's ids are chosen from the passages alone and only those rows get their derived counts.
   */
  list(filter: PassageFilter): Passage[] {
    const where: string[] = []
    const params: Record<string, unknown> = { limit: filter.limit }
    const fragment = filter.plate ? normalizePlate(filter.plate) : ''
    if (fragment) {
      const plates = this.platesContaining(fragment, filter.limit)
      if (plates === null) {
        where.push(`plate LIKE @plate ESCAPE '\\'`)
        params.plate = likeContaining(fragment)
      } else {
        if (plates.length === 0) return []
        where.push('plate IN (SELECT value FROM json_each(@plates))')
        params.plates = JSON.stringify(plates)
      }
    }
    if (filter.laneId) {
      where.push('lane_id = @laneId')
      params.laneId = filter.laneId
    }
    if (filter.decision) {
      where.push('decision = @decision')
      params.decision = filter.decision
    }
    if (filter.vehicleClass) {
      where.push('vehicle_class = @vehicleClass')
      params.vehicleClass = filter.vehicleClass
    }
    if (filter.from) {
      where.push('recognized_at >= @from')
      params.from = Date.parse(filter.from)
    }
    const order = 'ORDER BY recognized_at DESC, id DESC LIMIT @limit'
    if (!filter.upload) {
      const page = `SELECT id FROM passages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order}`
      const sql = `${SELECT_PASSAGE} WHERE p.id IN (${page}) ORDER BY p.recognized_at DESC, p.id DESC`
      return (this.db.prepare(sql).all(params) as PassageRow[]).map(toPassage)
    }
    if (filter.upload === 'failed') where.push('dead_count > 0')
    if (filter.upload === 'pending') where.push('dead_count = 0 AND pending_count > 0')
    if (filter.upload === 'uploaded') where.push('dead_count = 0 AND pending_count = 0')
    const sql = `SELECT * FROM (${SELECT_PASSAGE}) WHERE ${where.join(' AND ')} ${order}`
    return (this.db.prepare(sql).all(params) as PassageRow[]).map(toPassage)
  }

  /**
   * The plates containing `fragment`, found through its rarest 1–3 character gram (migration: plate_grams), when
   * reading their passages by the plate index is cheaper than walking all passages newest first until `limit` match;
   * null when the walk is cheaper (a fragment so common that matches come every few rows).
   */
  private platesContaining(fragment: string, limit: number): string[] | null {
    const chars = Array.from(fragment)
    const grams = chars.length <= 3 ? [fragment] : chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''))
    const countPlates = this.db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM plate_grams WHERE gram = ? LIMIT ?)').pluck()
    let rarest = grams[0]!
    let fewest = Infinity
    for (const gram of new Set(grams)) {
      const count = countPlates.get(gram, MAX_CANDIDATE_PLATES + 1) as number
      if (count < fewest) [rarest, fewest] = [gram, count]
    }
    if (fewest > MAX_CANDIDATE_PLATES) return null
    const matches = this.db
      .prepare(
        `SELECT p.plate, p.passages FROM plate_grams g JOIN plates p ON p.plate = g.plate
          WHERE g.gram = ? AND g.plate LIKE ? ESCAPE '\\' AND p.passages > 0`
      )
      .all(rarest, likeContaining(fragment)) as { plate: string; passages: number }[]
    const matching = matches.reduce((sum, row) => sum + row.passages, 0)
    // Reading by plate costs about one index entry per matching passage; the walk costs about limit × total / matching
    // rows, each dearer (row read + LIKE): pick the walk only when matches are dense enough to make it the cheaper.
    const total = (this.db.prepare('SELECT MAX(id) FROM passages').pluck().get() as number | null) ?? 0
    if (matching * matching > WALK_COST_FACTOR * limit * total) return null
    return matches.map((row) => row.plate)
  }
  latest(limit: number): Passage[] {
    const rows = this.db.prepare(`${SELECT_PASSAGE} ORDER BY p.recognized_at DESC, p.id DESC LIMIT ?`).all(limit) as PassageRow[]
    return rows.map(toPassage)
  }
}

/** A gram shared by more plates than this is too common to enumerate them: the newest-first walk is used instead. */
const MAX_CANDIDATE_PLATES = 2000
/** How much dearer one row of the newest-first walk is than one plate-index entry (measured: bench/plate-search). */
const WALK_COST_FACTOR = 4

function likeContaining(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, '\\$&')}%`
}

export interface PassageOutcome {
  bgzt: '0' | '1'
  gateSignal: '0' | '1' | '2'
  tgsjz: string
  forced: boolean
  /** Who raised the arm (null: not raised). */
  raiseSource?: RaiseSource | null
}

export type RaiseSource = 'plate' | 'guard' | 'remote' | 'hand'

interface InsideRow {
  id: number
  plate: string
  lane_id: string
  recognized_at: number
}

/** Entries through the barrier (or forced) after which the same plate has not passed any barrier again. */
const INSIDE_ENTRIES = `
  SELECT p.id, p.plate, p.lane_id, p.recognized_at FROM passages p
   WHERE p.direction = 'in' AND (p.bgzt = '1' OR p.forced = 1)
     AND NOT EXISTS (SELECT 1 FROM passages o WHERE o.plate = p.plate AND o.recognized_at > p.recognized_at
                       AND (o.bgzt = '1' OR o.forced = 1))`

function toInside(row: InsideRow): InsideEntry {
  return { passageId: row.id, plate: row.plate, laneId: row.lane_id, enteredAt: row.recognized_at }
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
    recognizedAt: isoOf(row.recognized_at),
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
    uploadError: row.upload_error,
    gateSignal: row.gate_signal,
    forced: row.forced === 1,
    raiseSource: row.raise_source ?? null,
    originalPlate: row.original_plate,
    originalPlateColour: row.original_plate_colour,
    vehicleClass: row.vehicle_class ?? null
  }
}
