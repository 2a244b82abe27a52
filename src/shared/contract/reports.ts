/** Spec 4.2.12 statistics and their exports, and the free disk space where the data lives. */
import { z } from 'zod'
import { dayStringSchema, laneIdSchema, none, reportFileSchema, type CommandSpec } from './common'

/**
 * The counts of spec 4.2.12 SendDayDataCity, with the spec's field names; see docs/operations.md for how each is
 * computed from the passages. Numbers here; the spec's wire form is decimal strings (ERRATA E50).
 */
export const dailyCountsSchema = z.object({
  companyTotal: z.number().int(),
  gateTotal: z.number().int(),
  vehTotal: z.number().int(),
  enterVehTotal: z.number().int(),
  exitVehTotal: z.number().int(),
  violationTotal: z.number().int(),
  controlTotal: z.number().int(),
  otherVehEnterTotal: z.number().int(),
  otherVehExitTotal: z.number().int(),
  otherAddVehTotal: z.number().int(),
  standard3EnterTotal: z.number().int(),
  standard3ExitTotal: z.number().int(),
  standard4EnterTotal: z.number().int(),
  standard4ExitTotal: z.number().int(),
  violationHandleTotal: z.number().int()
})
export type DailyCounts = z.infer<typeof dailyCountsSchema>

export const statsQuerySchema = z
  .object({ from: dayStringSchema, to: dayStringSchema, laneId: laneIdSchema.optional() })
  .strict()
  .refine((query) => query.from <= query.to, { message: '开始日期不能晚于结束日期', path: ['to'] })

export const dailyStatisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  laneId: z.string().nullable(),
  /** The plate prefixes counted as local (e.g. 豫K); every other plate is 外地. */
  localPlatePrefixes: z.array(z.string()),
  /** One row per day of the range, zero-filled; `date` per spec 4.2.12. */
  days: z.array(dailyCountsSchema.extend({ date: z.string() })),
  /** The whole range, per lane. */
  lanes: z.array(dailyCountsSchema.extend({ laneId: z.string() })),
  total: dailyCountsSchema
})
export type DailyStatistics = z.infer<typeof dailyStatisticsSchema>

/** Free space where the data lives; `level` crosses into warn/critical at the configured thresholds. */
export const storageStatusSchema = z.object({
  dataDir: z.string(),
  freeBytes: z.number(),
  totalBytes: z.number(),
  level: z.enum(['ok', 'warn', 'critical']),
  message: z.string(),
  checkedAt: z.string()
})
export type StorageStatus = z.infer<typeof storageStatusSchema>

export const reportCommands = {
  /** Spec 4.2.12 statistics per day and per lane, from the daily rollup of passages. */
  'stats.daily': { role: 'guard', input: statsQuerySchema, output: dailyStatisticsSchema },
  /** The same statistics as an Excel workbook or a PDF, returned as bytes for the renderer to save. */
  'stats.export': {
    role: 'guard',
    input: z.object({ from: dayStringSchema, to: dayStringSchema, laneId: laneIdSchema.optional(), format: z.enum(['xlsx', 'pdf']) }).strict(),
    output: reportFileSchema
  },
  'storage.status': { role: 'guard', input: none, output: storageStatusSchema }
} as const satisfies Record<string, CommandSpec>

export const reportEvents = {
  /** Published when free disk space changes level (ok → warn → critical and back). */
  'storage.status': storageStatusSchema
} as const
