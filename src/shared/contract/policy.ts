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
  note: z.string().trim().max(200),
  /** When the measures take effect and end (ISO-8601); missing or null: at once / until changed. */
  startsAt: z.iso.datetime({ offset: true }).nullish(),
  endsAt: z.iso.datetime({ offset: true }).nullish()
})
export type ControlMeasures = z.infer<typeof controlMeasuresSchema>

export const controlMeasuresViewSchema = controlMeasuresSchema.extend({ updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
export type ControlMeasuresView = z.infer<typeof controlMeasuresViewSchema>

export const localListKindSchema = z.enum(['white', 'black'])

/** How long a list entry holds from when it is added: 1 month, 3 months, 1 year or until removed. */
export const listValiditySchema = z.enum(['1m', '3m', '1y', 'permanent'])
export type ListValidity = z.infer<typeof listValiditySchema>

export const localListEntrySchema = z.object({
  kind: localListKindSchema,
  plate: z.string(),
  note: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Null: permanent. An expired entry no longer decides and is listed as expired. */
  expiresAt: z.string().nullable()
})
export type LocalListEntry = z.infer<typeof localListEntrySchema>

export const policyCommands = {
  'controlMeasures.get': { role: 'guard', input: none, output: controlMeasuresViewSchema },
  'controlMeasures.set': {
    role: 'admin',
    audit: true,
    input: controlMeasuresSchema
      .strict()
      .refine((value) => !value.startsAt || !value.endsAt || Date.parse(value.endsAt) > Date.parse(value.startsAt), { message: '结束时间应晚于开始时间', path: ['endsAt'] }),
    output: controlMeasuresViewSchema
  },
  'localLists.list': { role: 'guard', input: z.object({ kind: localListKindSchema.optional() }).strict(), output: z.array(localListEntrySchema) },
  'localLists.add': {
    role: 'admin',
    audit: true,
    input: z
      .object({ kind: localListKindSchema, plate: plateSchema, note: z.string().trim().max(200).default(''), validity: listValiditySchema.default('permanent') })
      .strict(),
    output: localListEntrySchema
  },
  'localLists.remove': {
    role: 'admin',
    audit: true,
    input: z.object({ kind: localListKindSchema, plate: plateSchema }).strict(),
    output: z.object({ removed: z.boolean() })
  }
} as const satisfies Record<string, CommandSpec>
