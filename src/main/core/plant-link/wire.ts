import { z } from 'zod'
import { directionSchema, vehicleClassSchema, verdictSchema } from '@shared/contract'

/**
 * The booth ↔ plant wire (HTTPS, the plant's certificate pinned at enrolment): both roles read these schemas, the
 * plant to check what a booth sends, the booth to check what the plant answers.
 */
export const PLANT_PATHS = {
  enrol: '/plant/enrol',
  passages: '/plant/passages',
  /** + /{lsh}/{zpbh}: the JPEG as the body, its index entry in the PHOTO_HEADER (URI-encoded JSON). */
  photos: '/plant/photos',
  changes: '/plant/changes',
  /** The booth's other uploads (goods, ledger changes), forwarded to the city platform by the plant. */
  records: '/plant/records',
  /** ?plate=&colour=&timeoutMs=: the city platform's verdict through the plant (its token, its cache). */
  verify: '/plant/verify',
  /** The booth's lanes (its config), for the plant's lane-settings screen. */
  lanes: '/plant/lanes'
} as const

export const PHOTO_HEADER = 'x-plant-photo'

const record = z.record(z.string(), z.string())

export const enrolRequestSchema = z.object({ code: z.string().min(1).max(64), boothId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict()
export const enrolReplySchema = z.object({ credential: z.string(), gateCode: z.string() })

export const passageUpSchema = z
  .object({
    lsh: z.string().regex(/^\d{12}[AB]\d{12}$/),
    laneId: z.string().min(1).max(64),
    gateCode: z.string().regex(/^\d{2}$/),
    direction: z.enum(['in', 'out']),
    plate: z.string().min(1).max(16),
    plateColour: z.string().max(4),
    recognizedAt: z.number().int(),
    tgsjq: z.string().max(19),
    tgsjz: z.string().max(19),
    decision: z.enum(['allow', 'refuse', 'guard']),
    reasonCode: z.string().max(64),
    reasonText: z.string().max(200),
    decidedOffline: z.boolean(),
    verdict: verdictSchema.nullable(),
    bgzt: z.enum(['0', '1']),
    source: z.enum(['manual', 'lpr']),
    gateSignal: z.enum(['0', '1', '2']).nullable().optional(),
    forced: z.boolean().optional(),
    originalPlate: z.string().max(16).nullable().optional(),
    originalPlateColour: z.string().max(4).nullable().optional(),
    /** The camera's vehicle class (车型): shown in the plant's journal, never part of `record` (the city's). */
    vehicleClass: vehicleClassSchema.nullable().optional(),
    record,
    acceptedAt: z.number().int().optional()
  })
  .strict()

export const passagesRequestSchema = z.object({ passages: z.array(passageUpSchema).min(1).max(200) }).strict()
export const intakeReplySchema = z.object({ results: z.array(z.enum(['accepted', 'duplicate', 'unknownPassage'])) })

export const RECORD_KINDS = ['shareGoodsRecord', 'shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec'] as const
export const recordsRequestSchema = z
  .object({
    records: z
      .array(
        z
          .object({
            kind: z.enum(RECORD_KINDS),
            idemKey: z.string().min(1).max(128),
            value: record,
            /** Goods: who filed them at the booth (录入方式 in the plant's goods ledger); never sent to the city. */
            source: z.enum(['guard', 'admin', 'import']).optional()
          })
          .strict()
      )
      .min(1)
      .max(200)
  })
  .strict()
export type RecordUpWire = z.infer<typeof recordsRequestSchema>['records'][number]

export const photoHeaderSchema = z.object({ zplx: z.string().max(4), takenAt: z.number().int(), record, acceptedAt: z.number().int().optional() }).strict()

export const changesReplySchema = z.object({
  changes: z.array(z.object({ revision: z.number(), entity: z.string(), key: z.string(), body: z.unknown(), at: z.number() })),
  revision: z.number(),
  complete: z.boolean()
})

export type PassageUpWire = z.infer<typeof passageUpSchema>
export type PhotoHeader = z.infer<typeof photoHeaderSchema>

/** A booth's lanes as its config names them; the plant keeps the latest report of each booth. */
export const lanesRequestSchema = z
  .object({
    lanes: z
      .array(z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(64), direction: directionSchema, gateCode: z.string().regex(/^\d{2}$/) }).strict())
      .max(32)
  })
  .strict()
export type ReportedLane = z.infer<typeof lanesRequestSchema>['lanes'][number]

export const verifyReplySchema = z.object({ verdict: verdictSchema })
