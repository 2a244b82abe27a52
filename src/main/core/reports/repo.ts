import type { DailyCounts } from '@shared/contract'

/** One day's counts on one lane (companyTotal and gateTotal are the report's, not the store's). */
export type CountRow = Omit<DailyCounts, 'companyTotal' | 'gateTotal'> & { date: string; laneId: string }

export interface CountQuery {
  /** yyyy-MM-dd, Beijing days, inclusive. */
  from: string
  to: string
  laneId?: string | undefined
  /** Plate prefixes counted as local (a passage of any other is 外地; nothing is when the list is empty). */
  localPlatePrefixes: readonly string[]
}

/**
 * The storage the statistics read: spec 4.2.12's counts per day and lane (docs/operations.md gives the definitions).
 * The booth implements it on SQLite from its passage_daily rollup (booth/store/statistics.ts); the plant will
 * implement it on PostgreSQL.
 */
export interface StatisticsRepo {
  countRows(query: CountQuery): Promise<CountRow[]>
}
