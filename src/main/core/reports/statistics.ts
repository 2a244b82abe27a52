import type { DailyCounts, DailyStatistics } from '@shared/contract'
import { COUNT_FIELDS } from './labels'
import { ApiFailure } from '../api/errors'
import type { CountRow, StatisticsRepo } from './repo'

export interface StatisticsOptions {
  localPlatePrefixes: readonly string[]
  /** Gate code of every configured lane, for gateTotal. */
  lanes: readonly { id: string; gateCode: string }[]
}

export const MAX_RANGE_DAYS = 366

export function zeroCounts(): DailyCounts {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [field, 0])) as DailyCounts
}

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

/** Spec 4.2.12 statistics (counts per day and lane from the store): per day, per lane and in total. */
export class Statistics {
  constructor(
    private readonly repo: StatisticsRepo,
    private readonly options: StatisticsOptions
  ) {}

  async daily(query: { from: string; to: string; laneId?: string }): Promise<DailyStatistics> {
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
    const rows = await this.repo.countRows({ ...query, localPlatePrefixes: this.options.localPlatePrefixes })
    for (const row of rows) {
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
