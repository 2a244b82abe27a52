import type { DailyCounts, DailyStatistics } from '@shared/contract'
import type { Db } from '../../booth/store'
import { COUNT_FIELDS } from './labels'
import { ApiFailure } from '../api/errors'

export interface StatisticsOptions {
  localPlatePrefixes: readonly string[]
  /** Gate code of every configured lane, for gateTotal. */
  lanes: readonly { id: string; gateCode: string }[]
}

export const MAX_RANGE_DAYS = 366

export function zeroCounts(): DailyCounts {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [field, 0])) as DailyCounts
}

/**
 * The definitions of spec 4.2.12's counts over rows shaped like passage_daily (docs/operations.md):
 * a passage counts as traffic only if the arm went up (bgzt '1'); a controlled truck (isControl '1') that passed is
 * a violation, one that did not pass was controlled and turned back (管控劝返); a violation is handled when a guard
 * recorded a manual decision for it (reason code `manual_*`, Lane issue); 外地 is a plate whose prefix is not in
 * the local list (nothing is 外地 when the list is empty); 外地补充 is a 外地 passage entered by hand (补录) rather
 * than read by the camera; 国三/国四 is the verdict's emissionStandard (B7.6 '3' / '4').
 * `rows` is a table or subquery with the passage_daily columns; parameters: the local prefixes as a JSON array, from,
 * to, laneId (twice). One row per day and lane comes back.
 */
export function countsSql(rows: string): string {
  const passed = (condition = 'true') => `SUM(CASE WHEN bgzt = '1' AND ${condition} THEN passages ELSE 0 END)`
  return `
  WITH locals AS (SELECT value AS prefix FROM json_each(?)),
  classified AS (
    SELECT *, ((SELECT COUNT(*) FROM locals) > 0
               AND plate_prefix NOT IN (SELECT prefix FROM locals)
               AND substr(plate_prefix, 1, 1) NOT IN (SELECT prefix FROM locals)) AS nonlocal
      FROM ${rows} WHERE day BETWEEN ? AND ? AND (? IS NULL OR lane_id = ?))
  SELECT day AS date, lane_id AS laneId,
         ${passed()} AS vehTotal,
         ${passed("direction = 'in'")} AS enterVehTotal,
         ${passed("direction = 'out'")} AS exitVehTotal,
         ${passed("is_control = '1'")} AS violationTotal,
         SUM(CASE WHEN bgzt != '1' AND is_control = '1' THEN passages ELSE 0 END) AS controlTotal,
         ${passed("nonlocal AND direction = 'in'")} AS otherVehEnterTotal,
         ${passed("nonlocal AND direction = 'out'")} AS otherVehExitTotal,
         ${passed("nonlocal AND source = 'manual'")} AS otherAddVehTotal,
         ${passed("emission_stage = '3' AND direction = 'in'")} AS standard3EnterTotal,
         ${passed("emission_stage = '3' AND direction = 'out'")} AS standard3ExitTotal,
         ${passed("emission_stage = '4' AND direction = 'in'")} AS standard4EnterTotal,
         ${passed("emission_stage = '4' AND direction = 'out'")} AS standard4ExitTotal,
         ${passed("is_control = '1' AND substr(reason_code, 1, 7) = 'manual_'")} AS violationHandleTotal
    FROM classified
   GROUP BY day, lane_id`
}

/** The passages themselves in the rollup's shape (what the trigger adds up), for checks and the benchmark. */
export const passagesAsRollup = (where = 'true'): string => `(
  SELECT substr(tgsjq, 1, 10) AS day, lane_id, direction, substr(plate, 1, 2) AS plate_prefix,
         COALESCE(json_extract(verdict_json, '$.emissionStandard'), '') AS emission_stage,
         COALESCE(json_extract(verdict_json, '$.isControl'), '') AS is_control, reason_code, bgzt, source, 1 AS passages
    FROM passages WHERE ${where})`

type CountRow = Omit<DailyCounts, 'companyTotal' | 'gateTotal'> & { date: string; laneId: string }

function add(into: DailyCounts, row: CountRow): void {
  for (const field of COUNT_FIELDS) if (field !== 'companyTotal' && field !== 'gateTotal') into[field] += row[field]
}

/** Every yyyy-MM-dd from `from` to `to` inclusive (calendar days, no time zone involved). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  const end = Date.parse(`${to}T00:00:00Z`)
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10))
  return days
}

/** Spec 4.2.12 statistics read from the passage_daily rollup: per day, per lane and in total. */
export class Statistics {
  constructor(
    private readonly db: Db,
    private readonly options: StatisticsOptions
  ) {}

  /** Counts per day and lane, from the rollup (or, for comparison, from `rows` such as passagesAsRollup()). */
  countRows(from: string, to: string, laneId?: string, rows = 'passage_daily'): CountRow[] {
    return this.db.prepare(countsSql(rows)).all(JSON.stringify(this.options.localPlatePrefixes), from, to, laneId ?? null, laneId ?? null) as CountRow[]
  }

  daily(query: { from: string; to: string; laneId?: string }): DailyStatistics {
    const span = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000 + 1
    if (!(span >= 1)) throw new StatisticsRangeError('开始日期不能晚于结束日期')
    if (span > MAX_RANGE_DAYS) throw new StatisticsRangeError(`统计区间最长 ${MAX_RANGE_DAYS} 天`)
    const days = daysBetween(query.from, query.to)
    const lanes = this.options.lanes.filter((lane) => query.laneId === undefined || lane.id === query.laneId)
    const gateTotal = new Set(lanes.map((lane) => lane.gateCode)).size
    const fresh = (): DailyCounts => ({ ...zeroCounts(), companyTotal: 1, gateTotal })

    const byDay = new Map(days.map((day) => [day, fresh()]))
    const byLane = new Map(lanes.map((lane) => [lane.id, { ...zeroCounts(), companyTotal: 1, gateTotal: 1 }]))
    const total = fresh()
    for (const row of this.countRows(query.from, query.to, query.laneId)) {
      add(byDay.get(row.date) ?? fresh(), row)
      let laneCounts = byLane.get(row.laneId)
      if (!laneCounts) byLane.set(row.laneId, (laneCounts = { ...zeroCounts(), companyTotal: 1, gateTotal: 1 }))
      add(laneCounts, row)
      add(total, row)
    }
    return {
      from: query.from,
      to: query.to,
      laneId: query.laneId ?? null,
      localPlatePrefixes: [...this.options.localPlatePrefixes],
      days: [...byDay].map(([date, counts]) => ({ date, ...counts })),
      lanes: [...byLane].map(([laneId, counts]) => ({ laneId, ...counts })),
      total
    }
  }
}

export class StatisticsRangeError extends ApiFailure {
  override name = 'StatisticsRangeError'
  constructor(message: string) {
    super('invalid_input', message)
  }
}
