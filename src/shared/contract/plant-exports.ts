/**
 * What the plant's workspace shows and downloads beyond its views (docs/plant.md): a passage's photos as the booths
 * sent them, and the statistics per gate and for the plant as Excel or PDF. Served by the plant role only.
 */
import { z } from 'zod'
import { reportFileSchema, type CommandSpec } from './common'
import { passagePhotoSchema } from './passages'
import { dayRangeFields, gateCodeSchema } from './plant'

export const plantExportCommands = {
  /** The photos of a passage of the plant's journal (its row id), read from the plant's photo store. */
  'plant.photos': { role: 'guard', input: z.object({ passageId: z.number().int().positive() }).strict(), output: z.array(passagePhotoSchema) },
  /** The statistics of one gate (or the plant: no gate) as an .xlsx or a PDF, returned as bytes for the browser to save. */
  'plant.statisticsExport': {
    role: 'guard',
    input: z
      .object({ ...dayRangeFields, gateCode: gateCodeSchema.optional(), format: z.enum(['xlsx', 'pdf']) })
      .strict()
      .refine((query) => query.from <= query.to, { message: '开始日期不能晚于结束日期', path: ['to'] }),
    output: reportFileSchema
  }
} as const satisfies Record<string, CommandSpec>
