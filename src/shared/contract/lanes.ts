/** The lanes: a truck in each, the guard's entries and manual actions, and the live lane state. */
import { z } from 'zod'
import { decisionSchema, laneIdSchema, plateColourSchema, plateSchema, none, type CommandSpec } from './common'
import { passageSchema } from './passages'
import { plateColourProblem } from '../plate'
import { vehicleClassSchema } from './vehicle-class'

/** Where a lane is in its cycle (Lane issue): idle → verifying → decided → barrier_open → passing → idle. */
export const lanePhaseSchema = z.enum(['idle', 'verifying', 'decided', 'barrier_open', 'passing'])
export type LanePhase = z.infer<typeof lanePhaseSchema>

export const armPositionSchema = z.enum(['up', 'down', 'unknown'])

/** What the guard's lane tile shows: the truck in the lane (if any), the barrier and the queue behind it. */
export const laneStateSchema = z.object({
  laneId: laneIdSchema,
  phase: lanePhaseSchema,
  /** The truck being handled; null when the lane is idle. */
  current: z
    .object({
      plate: z.string(),
      plateColour: z.string(),
      /** Null while verifying. */
      decision: decisionSchema.nullable(),
      reasonCode: z.string(),
      reasonText: z.string(),
      emissionStandard: z.string(),
      fuelType: z.string(),
      decidedOffline: z.boolean(),
      /** The recorded passage, once it is recorded. */
      passageId: z.number().int().nullable(),
      /** ISO-8601 instant the plate was read. */
      at: z.string(),
      /** While held for the guard: ISO-8601 instant the lane closes the passage by itself (not raised). */
      heldUntil: z.string().nullable().default(null),
      /** The vehicle's class as the camera saw it, where the camera tells (never a B7.7 field). */
      vehicleClass: vehicleClassSchema.nullable().optional()
    })
    .nullable(),
  /** Trucks read behind the current one, waiting their turn. */
  queued: z.number().int(),
  /** Those trucks, oldest first. */
  queue: z.array(z.object({ plate: z.string(), plateColour: z.string(), at: z.string() })).default([]),
  barrier: z.object({ arm: armPositionSchema, loopOccupied: z.boolean().nullable() }).nullable(),
  /** Why the barrier is not doing what it was told, in Chinese (防砸: the lower waits for the vehicle under the arm). */
  barrierNotice: z.string().nullable().optional()
})
export type LaneState = z.infer<typeof laneStateSchema>

/** Why a guard let a truck through by hand (Lane issue): a code from this list, plus free text. */
export const manualReleaseReasons = [
  { code: 'platform_down', text: '平台故障或网络中断' },
  { code: 'misread', text: '车牌识别错误' },
  { code: 'registered_vehicle', text: '已备案车辆，平台结论有误' },
  { code: 'emergency', text: '应急、抢险或消防车辆' },
  { code: 'plant_vehicle', text: '厂内车辆' },
  { code: 'leader_approved', text: '经领导批准' },
  { code: 'other', text: '其他（须写明原因）' }
] as const

export const manualReleaseReasonSchema = z.enum(manualReleaseReasons.map((reason) => reason.code) as [string, ...string[]])

export const manualReleaseInputSchema = z
  .object({
    laneId: laneIdSchema,
    reason: manualReleaseReasonSchema,
    note: z.string().trim().max(200),
    /** Must be true to release a truck the platform marked controlled: it counts as a violation. */
    confirmViolation: z.boolean().default(false),
    /** The passage the guard saw: refused if the lane no longer holds that truck (another came meanwhile). */
    passageId: z.number().int()
  })
  .strict()
  .refine((input) => input.reason !== 'other' || input.note.length > 0, { message: '选择“其他”时必须填写原因', path: ['note'] })

/** `passageId`: the passage the guard saw, as for a release. */
export const manualRefuseInputSchema = z.object({ laneId: laneIdSchema, note: z.string().trim().max(200), passageId: z.number().int() }).strict()

/** A plate with its colour: their lengths must agree (B7.1, see plateColourProblem). */
function withColourRule<T extends z.ZodType<{ plate: string; colour: string }>>(schema: T) {
  return schema.superRefine((input, ctx) => {
    const problem = plateColourProblem(input.plate, input.colour)
    if (problem) ctx.addIssue({ code: 'custom', path: ['plate'], message: problem })
  })
}

export const plateCorrectionInputSchema = withColourRule(z.object({ passageId: z.number().int(), plate: plateSchema, colour: plateColourSchema }).strict())
export const plateEntryInputSchema = withColourRule(z.object({ laneId: laneIdSchema, plate: plateSchema, colour: plateColourSchema }).strict())

/** 开闸 / 关闸 by the guard outside any passage (a software raise): the reason is required and audited. */
export const manualBarrierInputSchema = z
  .object({ laneId: laneIdSchema, action: z.enum(['open', 'close']), reason: z.string().trim().min(1, '请填写开闸或关闸的原因').max(200) })
  .strict()

/** 无牌车 (no plate) or 临时车 (temporary plate, its number as written on it): held for the guard, not verified. */
export const unplatedInputSchema = z
  .object({
    laneId: laneIdSchema,
    kind: z.enum(['none', 'temporary']),
    /** The temporary plate's number; empty for 无牌车. */
    number: z.string().trim().max(12).default(''),
    note: z.string().trim().max(200).default('')
  })
  .strict()
  .refine((input) => input.kind === 'none' || input.number.length > 0, { message: '请填写临时号牌号码', path: ['number'] })

export const plateCorrectionResultSchema = z.object({
  passage: passageSchema,
  /** 'corrected': the platform gets the corrected plate; 'original': the record had already gone out with the misread. */
  uploadedPlate: z.enum(['corrected', 'original']),
  message: z.string()
})
export type PlateCorrectionResult = z.infer<typeof plateCorrectionResultSchema>

export const laneCommands = {
  /** A plate typed by the guard (or entered because the camera missed it). */
  'plate.submit': {
    role: 'guard',
    audit: true,
    input: plateEntryInputSchema,
    output: passageSchema
  },
  'lanes.state': { role: 'guard', input: none, output: z.array(laneStateSchema) },
  /** The guard lets the truck waiting in the lane through (Lane issue §5). */
  'lane.release': { role: 'guard', audit: true, input: manualReleaseInputSchema, output: laneStateSchema },
  'lane.refuse': { role: 'guard', audit: true, input: manualRefuseInputSchema, output: laneStateSchema },
  'passage.correctPlate': { role: 'guard', audit: true, input: plateCorrectionInputSchema, output: plateCorrectionResultSchema },
  /** A truck without a readable plate (无牌车) or with a temporary one (临时车), entered by the guard. */
  'lane.unplated': { role: 'guard', audit: true, input: unplatedInputSchema, output: passageSchema },
  /** 开闸 / 关闸 from the booth: the barrier moved by software, with the guard's reason (audited). */
  'lane.barrier': { role: 'guard', audit: true, input: manualBarrierInputSchema, output: laneStateSchema },
  /** Takes the lane camera's photo again for the truck in the lane. */
  'lane.recapture': { role: 'guard', audit: true, input: z.object({ laneId: laneIdSchema }).strict(), output: laneStateSchema }
} as const satisfies Record<string, CommandSpec>

export const laneEvents = {
  'lane.state': laneStateSchema
} as const
