import type { DailyCounts, DailyStatistics } from '@shared/contract'
import type { Db } from '../store'
import { COUNT_FIELDS } from './labels'
import { isLocalPlatePrefix } from './local-plates'

/** One row of the passage_daily rollup (migration 2): a count of passages sharing every key column. */
export interface RollupRow {
  day: string
  laneId: string
  direction: string
  platePrefix: string
  emissionStage: string
  isControl: string
  reasonCode: string
  bgzt: string
  source: string
  passages: number
}

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
 * Adds one rollup row to `counts`, by the definitions in docs/operations.md:
 * a passage counts as traffic only if the arm went up (bgzt '1'); a controlled truck (isControl '1') that passed is
 * a violation, one that did not pass was controlled and turned back; a violation is handled when a guard recorded
 * a manual decision for it (reason code `manual_*`, Lane issue); 外地 is a plate prefix outside the local list;
 * 外地补充 is a 外地 passage entered by hand (补录) rather than read by the camera; 国三/国四 is the verdict's
 * emissionStandard (B7.6 '3' / '4').
 */
export function addRow(counts: DailyCounts, row: RollupRow, localPlatePrefixes: readonly string[]): void {
  const n = row.passages
  const passed = row.bgzt === '1'
  const controlled = row.isControl === '1'
  if (controlled && !passed) counts.controlTotal += n
  if (!passed) return
  const entering = row.direction === 'in'
  counts.vehTotal += n
  if (entering) counts.enterVehTotal += n
  else counts.exitVehTotal += n
  if (controlled) {
    counts.violationTotal += n
    if (row.reasonCode.startsWith('manual_')) counts.violationHandleTotal += n
  }
  if (!isLocalPlatePrefix(row.platePrefix, localPlatePrefixes)) {
    if (entering) counts.otherVehEnterTotal += n
    else counts.otherVehExitTotal += n
    if (row.source === 'manual') counts.otherAddVehTotal += n
  }
  if (row.emissionStage === '3') {
    if (entering) counts.standard3EnterTotal += n
    else counts.standard3ExitTotal += n
  } else if (row.emissionStage === '4') {
    if (entering) counts.standard4EnterTotal += n
    else counts.standard4ExitTotal += n
  }
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

  rows(from: string, to: string, laneId?: string): RollupRow[] {
    return this.db
      .prepare(
        `SELECT day, lane_id AS laneId, direction, plate_prefix AS platePrefix, emission_stage AS emissionStage,
                is_control AS isControl, reason_code AS reasonCode, bgzt, source, passages
           FROM passage_daily
          WHERE day BETWEEN ? AND ? AND (? IS NULL OR lane_id = ?)`
      )
      .all(from, to, laneId ?? null, laneId ?? null) as RollupRow[]
  }

  daily(query: { from: string; to: string; laneId?: string }): DailyStatistics {
    const days = daysBetween(query.from, query.to)
    if (days.length === 0) throw new StatisticsRangeError('开始日期不能晚于结束日期')
    if (days.length > MAX_RANGE_DAYS) throw new StatisticsRangeError(`统计区间最长 ${MAX_RANGE_DAYS} 天`)
    const locals = this.options.localPlatePrefixes
    const lanes = this.options.lanes.filter((lane) => query.laneId === undefined || lane.id === query.laneId)
    const gateTotal = new Set(lanes.map((lane) => lane.gateCode)).size
    const fresh = (): DailyCounts => ({ ...zeroCounts(), companyTotal: 1, gateTotal })

    const byDay = new Map(days.map((day) => [day, fresh()]))
    const byLane = new Map(lanes.map((lane) => [lane.id, { ...zeroCounts(), companyTotal: 1, gateTotal: 1 }]))
    const total = fresh()
    for (const row of this.rows(query.from, query.to, query.laneId)) {
      addRow(byDay.get(row.day) ?? fresh(), row, locals)
      let laneCounts = byLane.get(row.laneId)
      if (!laneCounts) byLane.set(row.laneId, (laneCounts = { ...zeroCounts(), companyTotal: 1, gateTotal: 1 }))
      addRow(laneCounts, row, locals)
      addRow(total, row, locals)
    }
    return {
      from: query.from,
      to: query.to,
      laneId: query.laneId ?? null,
      localPlatePrefixes: [...locals],
      days: [...byDay].map(([date, counts]) => ({ date, ...counts })),
      lanes: [...byLane].map(([laneId, counts]) => ({ laneId, ...counts })),
      total
    }
  }
}

export class StatisticsRangeError extends Error {
  override name = 'StatisticsRangeError'
}
