/**
 * The plant's enterprise views (docs/plant.md): one journal across gates, visits (entry gate → exit gate), in-plant
 * presence, statistics per gate and for the plant, and the booths (enrolment codes, revocation). Served by the plant
 * role only; a booth answers these `unknown_command`.
 */
import { z } from 'zod'
import { dailyCountsSchema } from './reports'
import { dayStringSchema, decisionSchema, directionSchema, none, type CommandSpec } from './common'
import { vehicleClassSchema } from './vehicle-class'

export const gateCodeSchema = z.string().regex(/^(?!00)\d{2}$/, '门岗编号应为 01–99 的两位数字')

export const plantJournalRowSchema = z.object({
  id: z.number().int(),
  lsh: z.string(),
  gateCode: z.string(),
  laneId: z.string(),
  direction: directionSchema,
  plate: z.string(),
  plateColour: z.string(),
  recognizedAt: z.string(),
  decision: decisionSchema,
  reasonText: z.string(),
  /** The arm was raised (B7 bgzt 1). */
  passed: z.boolean(),
  /** The city platform's state of its record. */
  upload: z.enum(['pending', 'done', 'dead']),
  /** The camera's vehicle class (车型) as the gate's booth saw it; null where the camera did not say. */
  vehicleClass: vehicleClassSchema.nullable()
})
export type PlantJournalRow = z.infer<typeof plantJournalRowSchema>

export const visitSchema = z.object({
  plate: z.string(),
  plateColour: z.string(),
  entryGate: z.string(),
  entryAt: z.string(),
  exitGate: z.string().nullable(),
  exitAt: z.string().nullable(),
  /** Null while the vehicle has not left (an open visit). */
  dwellMs: z.number().nullable()
})
export type PlantVisit = z.infer<typeof visitSchema>

export const presenceSchema = z.object({
  plate: z.string(),
  plateColour: z.string(),
  gateCode: z.string(),
  enteredAt: z.string(),
  dwellMs: z.number()
})
export type PlantPresence = z.infer<typeof presenceSchema>

const countsSchema = dailyCountsSchema.omit({ companyTotal: true, gateTotal: true })
export type PlantCounts = z.infer<typeof countsSchema>

export const plantStatisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  gates: z.array(countsSchema.extend({ gateCode: z.string() })),
  plant: countsSchema
})
export type PlantStatistics = z.infer<typeof plantStatisticsSchema>

export const boothSchema = z.object({
  id: z.string(),
  gateCode: z.string(),
  enrolledAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable()
})
export type PlantBooth = z.infer<typeof boothSchema>

/** A range of Beijing days; `.extend` it before `.strict()` where a command takes more. */
export const dayRangeFields = { from: dayStringSchema, to: dayStringSchema }

const dayRange = z
  .object(dayRangeFields)
  .strict()
  .refine((query) => query.from <= query.to, { message: '开始日期不能晚于结束日期', path: ['to'] })

export const plantCommands = {
  'plant.journal': {
    role: 'guard',
    input: z
      .object({
        plate: z.string().trim().max(16).optional(),
        gateCode: gateCodeSchema.optional(),
        day: dayStringSchema.optional(),
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    output: z.array(plantJournalRowSchema)
  },
  'plant.visits': {
    role: 'guard',
    input: z.object({ day: dayStringSchema, plate: z.string().trim().max(16).optional() }).strict(),
    output: z.array(visitSchema)
  },
  'plant.presence': { role: 'guard', input: none, output: z.array(presenceSchema) },
  'plant.statistics': { role: 'guard', input: dayRange, output: plantStatisticsSchema },
  'plant.booths': { role: 'admin', input: none, output: z.object({ booths: z.array(boothSchema), fingerprint: z.string() }) },
  'plant.enrolmentCode': {
    role: 'admin',
    audit: true,
    input: z.object({ gateCode: gateCodeSchema }).strict(),
    output: z.object({ code: z.string(), gateCode: z.string(), fingerprint: z.string() })
  },
  'plant.revokeBooth': { role: 'admin', audit: true, input: z.object({ boothId: z.string().min(1).max(64) }).strict(), output: z.object({ revoked: z.boolean() }) }
} as const satisfies Record<string, CommandSpec>
