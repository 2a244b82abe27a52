import type { Decision, Direction, VehicleClass } from '@shared/contract'
import type { Pool } from './pool'

/** One passage in the enterprise journal, with its gate. */
export interface JournalRow {
  id: number
  lsh: string
  gateCode: string
  laneId: string
  direction: Direction
  plate: string
  plateColour: string
  recognizedAt: number
  decision: Decision
  reasonText: string
  bgzt: '0' | '1'
  /** The city platform's state of its record: pending, done or dead. */
  upload: string
  /** The camera's vehicle class, as the booth sent it (never uploaded to the city). */
  vehicleClass: VehicleClass | null
}

/**
 * A plate search whose plates have at most this many passages fetches them by plate (an index lookup per plate);
 * beyond, matches are dense enough that walking the journal newest first meets `limit` of them soon.
 */
export const SPARSE_PLATE_PASSAGES = 5_000

export interface JournalQuery {
  /** Any part of the plate, letters in either case (searched among the distinct plates first: `plates`). */
  plate?: string | undefined
  gateCode?: string | undefined
  /** Epoch ms, inclusive / exclusive. */
  from?: number | undefined
  to?: number | undefined
  /** Keyset paging: rows older than this id. */
  beforeId?: number | undefined
  limit: number
}

/** A visit: entry through one gate, exit through the same or another; an open visit has no exit yet. */
export interface Visit {
  plate: string
  plateColour: string
  entryGate: string
  entryLsh: string
  entryAt: number
  exitGate: string | null
  exitLsh: string | null
  exitAt: number | null
  dwellMs: number | null
}

export interface Presence {
  plate: string
  plateColour: string
  gateCode: string
  laneId: string
  lsh: string
  enteredAt: number
}

/** The plant's enterprise-wide reads: one journal across gates, visits across gates, in-plant presence. */
export class PlantViews {
  constructor(private readonly pool: Pool) {}

  async journal(query: JournalQuery): Promise<JournalRow[]> {
    const part = query.plate ? likeText(query.plate.toUpperCase()) : null
    let plates: string[] | null = null
    if (part !== null) {
      const found = await this.pool.query<{ total: number | null; plates: string[] | null }>(
        `SELECT sum(passages) AS total, CASE WHEN sum(passages) <= $2 THEN array_agg(plate) END AS plates FROM plates WHERE plate LIKE '%' || $1 || '%'`,
        [part, SPARSE_PLATE_PASSAGES]
      )
      const { total, plates: sparse } = found.rows[0] ?? { total: null, plates: null }
      if (!total) return []
      plates = sparse
    }
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT p.id, p.lsh, p.gate_code AS "gateCode", p.lane_id AS "laneId", p.direction, p.plate, p.plate_colour AS "plateColour",
              p.recognized_at AS "recognizedAt", p.decision, p.reason_text AS "reasonText", p.bgzt, p.vehicle_class AS "vehicleClass",
              COALESCE((SELECT o.state FROM outbox o WHERE o.passage_id = p.id AND o.kind = 'shareDrivingRecord'), 'pending') AS upload
         FROM passages p
        WHERE ($1::text[] IS NOT NULL OR $7::text IS NULL OR p.plate LIKE '%' || $7 || '%')
          AND ($1::text[] IS NULL OR p.plate = ANY($1))
          AND ($2::text IS NULL OR p.gate_code = $2)
          AND ($3::bigint IS NULL OR p.recognized_at >= $3)
          AND ($4::bigint IS NULL OR p.recognized_at < $4)
          AND ($5::bigint IS NULL OR p.id < $5)
        ORDER BY p.id DESC LIMIT $6`,
      [plates, query.gateCode ?? null, query.from ?? null, query.to ?? null, query.beforeId ?? null, query.limit, part]
    )
    return rows
  }

  /**
   * Visits that began in [from, to): each entry through a raised arm paired with the same plate's next passage
   * through a raised arm at any gate, when that one is an exit (a next entry means the exit was never seen: open).
   */
  async visits(query: { from: number; to: number; plate?: string | undefined; limit: number }): Promise<Visit[]> {
    const { rows } = await this.pool.query<Visit>(
      `SELECT e.plate, e.plate_colour AS "plateColour", e.gate_code AS "entryGate", e.lsh AS "entryLsh", e.recognized_at AS "entryAt",
              x.gate_code AS "exitGate", x.lsh AS "exitLsh", x.recognized_at AS "exitAt", x.recognized_at - e.recognized_at AS "dwellMs"
         FROM passages e
         LEFT JOIN LATERAL (
           SELECT n.gate_code, n.lsh, n.recognized_at, n.direction FROM passages n
            WHERE n.plate = e.plate AND n.bgzt = '1' AND n.recognized_at > e.recognized_at
            ORDER BY n.recognized_at LIMIT 1) x ON x.direction = 'out'
        WHERE e.direction = 'in' AND e.bgzt = '1' AND e.recognized_at >= $1 AND e.recognized_at < $2 AND ($3::text IS NULL OR e.plate = $3)
        ORDER BY e.recognized_at LIMIT $4`,
      [query.from, query.to, query.plate ?? null, query.limit]
    )
    return rows
  }

  /** 厂内在场车辆: plates whose latest passage through a raised arm is an entry; `enteredBefore` for dwell alarms. */
  async presence(query: { enteredBefore?: number | undefined; limit: number }): Promise<Presence[]> {
    const { rows } = await this.pool.query<Presence>(
      `SELECT plate, plate_colour AS "plateColour", gate_code AS "gateCode", lane_id AS "laneId", lsh, recognized_at AS "enteredAt"
         FROM vehicle_last WHERE direction = 'in' AND ($1::bigint IS NULL OR recognized_at < $1)
        ORDER BY recognized_at LIMIT $2`,
      [query.enteredBefore ?? null, query.limit]
    )
    return rows
  }
}

/** The search text with LIKE's wildcards taken literally. */
function likeText(text: string | undefined): string | null {
  return text ? text.replace(/[\\%_]/g, (ch) => `\\${ch}`) : null
}
