/** What the lanes decide by besides the platform: the control measures in force and the local white/black lists. */
import { z } from 'zod'
import { none, plateSchema, type CommandSpec } from './common'

/** Active control measures the admin sets (B7.18–B7.22); null fields are not set. */
export const controlMeasuresSchema = z.object({
  /** B7.18 管控等级: 1 黄色, 2 橙色, 3 红色, 4 其他. Null: no control in force. */
  level: z.enum(['1', '2', '3', '4']).nullable(),
  /** B7.19 管控区域: 1 全市管控, 2 柴油货车禁行区管控. */
  area: z.enum(['1', '2']).nullable(),
  /** B7.20 管控策略 1–7. */
  strategy: z.enum(['1', '2', '3', '4', '5', '6', '7']).nullable(),
  /** B7.21 企业管控类型 1–9. */
  enterpriseType: z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9']).nullable(),
  /** B7.22 企业管控措施 (no code 4, ERRATA E63). */
  measures: z.enum(['1', '2', '3', '5', '6', '7', '8']).nullable(),
  note: z.string().trim().max(200)
})
export type ControlMeasures = z.infer<typeof controlMeasuresSchema>

export const controlMeasuresViewSchema = controlMeasuresSchema.extend({ updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
export type ControlMeasuresView = z.infer<typeof controlMeasuresViewSchema>

export const localListKindSchema = z.enum(['white', 'black'])

export const localListEntrySchema = z.object({
  kind: localListKindSchema,
  plate: z.string(),
  note: z.string(),
  createdAt: z.string(),
  createdBy: z.string()
})
export type LocalListEntry = z.infer<typeof localListEntrySchema>

export const policyCommands = {
  'controlMeasures.get': { role: 'guard', input: none, output: controlMeasuresViewSchema },
  'controlMeasures.set': { role: 'admin', audit: true, input: controlMeasuresSchema.strict(), output: controlMeasuresViewSchema },
  'localLists.list': { role: 'guard', input: z.object({ kind: localListKindSchema.optional() }).strict(), output: z.array(localListEntrySchema) },
  'localLists.add': {
    role: 'admin',
    audit: true,
    input: z.object({ kind: localListKindSchema, plate: plateSchema, note: z.string().trim().max(200).default('') }).strict(),
    output: localListEntrySchema
  },
  'localLists.remove': {
    role: 'admin',
    audit: true,
    input: z.object({ kind: localListKindSchema, plate: plateSchema }).strict(),
    output: z.object({ removed: z.boolean() })
  }
} as const satisfies Record<string, CommandSpec>
