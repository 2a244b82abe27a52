/** Recorded passages: the journal, their photos, and the events that announce a new or changed one. */
import { z } from 'zod'
import { decisionSchema, directionSchema, laneIdSchema, uploadStateSchema, type CommandSpec } from './common'
import { vehicleClassSchema } from './vehicle-class'

/** What the city platform said of a vehicle (spec 4.1.3 getCheckVehicle response value). */
export const verdictSchema = z.object({
  isControl: z.string(),
  controlReason: z.string(),
  emissionStandard: z.string(),
  fuelType: z.string()
})
export type Verdict = z.infer<typeof verdictSchema>

export const passageSchema = z.object({
  id: z.number().int(),
  lsh: z.string(),
  laneId: z.string(),
  gateCode: z.string(),
  direction: directionSchema,
  plate: z.string(),
  plateColour: z.string(),
  /** ISO-8601 instant the plate was read. */
  recognizedAt: z.string(),
  /** spec 4.1.4 tgsjq / tgsjz, yyyy-MM-dd HH:mm:ss Beijing time. */
  tgsjq: z.string(),
  tgsjz: z.string(),
  decision: decisionSchema,
  reasonCode: z.string(),
  reasonText: z.string(),
  decidedOffline: z.boolean(),
  verdict: verdictSchema.nullable(),
  /** spec 4.1.4 bgzt: '1' arm raised and passed, '0' arm not raised. */
  bgzt: z.enum(['0', '1']),
  source: z.enum(['manual', 'lpr']),
  photoCount: z.number().int(),
  upload: uploadStateSchema,
  uploadError: z.string().nullable(),
  /** 4.2.11 gateSignal as the barrier reported it (ERRATA E18): '0' raised and passed, '1' not raised, '2' raised, not passed; null until known. */
  gateSignal: z.enum(['0', '1', '2']).nullable().optional(),
  /** Who raised the arm: plate (automatic on the decision), guard (software, 人工放行), remote (遥控抬杆: no command of ours), hand; null when not raised. */
  raiseSource: z.enum(['plate', 'guard', 'remote', 'hand']).nullable().optional(),
  /** Passed without a raised arm (闯岗): photos carry zplx 3. */
  forced: z.boolean().optional(),
  /** The plate as first read, when a guard corrected it (the record keeps both). */
  originalPlate: z.string().nullable().optional(),
  originalPlateColour: z.string().nullable().optional(),
  /** The vehicle's class as the camera saw it, where the camera tells (never a B7.7 field). */
  vehicleClass: vehicleClassSchema.nullable().optional()
})
export type Passage = z.infer<typeof passageSchema>

export type RaiseSource = NonNullable<Passage['raiseSource']>
/** How the arm rose, as the guard and the Excel read it; 遥控抬杆 is the alarm case (no command of ours). */
export const RAISE_SOURCE_LABEL: Record<RaiseSource, string> = { plate: '车牌自动抬杆', guard: '值班员抬杆', remote: '遥控抬杆', hand: '手动抬杆' }

export const passagePhotoSchema = z.object({
  zpbh: z.string(),
  zplx: z.string(),
  takenAt: z.string(),
  /** The stored JPEG, base64. */
  jpegBase64: z.string()
})
export type PassagePhoto = z.infer<typeof passagePhotoSchema>

/**
 * The camera's plate close-up, kept on the booth beside the scene for the guard to read the plate. It is no B7.2 photo
 * (1 前照, 2 后照; ERRATA E30): it has no upload, neither to the platform nor to the plant.
 */
export const PLATE_CLOSEUP_ZPBH = 'p'
export type PhotoNumber = '1' | '2' | typeof PLATE_CLOSEUP_ZPBH

/** The photo's name for the guard: 前照 / 后照 / 车牌特写. */
export function photoName(zpbh: string): string {
  return zpbh === PLATE_CLOSEUP_ZPBH ? '车牌特写' : zpbh === '2' ? '后照' : '前照'
}

export const passageFilterSchema = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  /** Part of the plate, as typed (normalised like a plate). */
  plate: z.string().trim().max(10).optional(),
  laneId: laneIdSchema.optional(),
  decision: decisionSchema.optional(),
  upload: uploadStateSchema.optional(),
  /** The camera's vehicle class (车型). */
  vehicleClass: vehicleClassSchema.optional(),
  /** ISO-8601 instant: only passages read at or after it (the journal asks for today's). */
  from: z.iso.datetime({ offset: true }).optional()
})

export const passageCommands = {
  'passages.list': {
    role: 'guard',
    input: passageFilterSchema.strict(),
    output: z.array(passageSchema)
  },
  /** A recorded passage's photos, for the journal's viewer. */
  'passage.photos': { role: 'guard', input: z.object({ passageId: z.number().int() }).strict(), output: z.array(passagePhotoSchema) }
} as const satisfies Record<string, CommandSpec>

export const passageEvents = {
  'passage.recorded': passageSchema,
  'passage.updated': passageSchema
} as const
