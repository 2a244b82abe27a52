/**
 * The API contract between the main process and the renderer: every command and event, with its zod schema.
 * The Electron IPC transport, the HTTP+WebSocket transport of the headless host and the renderer client are all
 * generic over this one object; main validates every input against it.
 */
import { z } from 'zod'
import { isPlateColourCode, normalizePlate, plateProblem } from './plate'

export const laneIdSchema = z.string().min(1).max(32)

/** A plate as typed or read: normalised (upper case, half-width, no separators), then checked. */
export const plateSchema = z
  .string()
  .transform((raw) => normalizePlate(raw))
  .superRefine((plate, ctx) => {
    const problem = plateProblem(plate)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/** B7.1 plate colour code. */
export const plateColourSchema = z
  .string()
  .refine(isPlateColourCode, { message: '车牌颜色代码无效（应为 B7.1 的 0–5）' })

export const directionSchema = z.enum(['in', 'out'])
export type Direction = z.infer<typeof directionSchema>

export const laneSchema = z.object({
  id: laneIdSchema,
  name: z.string(),
  gateCode: z.string(),
  direction: directionSchema
})
export type Lane = z.infer<typeof laneSchema>

export const decisionSchema = z.enum(['allow', 'refuse', 'guard'])
export type Decision = z.infer<typeof decisionSchema>

export const uploadStateSchema = z.enum(['pending', 'uploaded', 'failed'])
export type UploadState = z.infer<typeof uploadStateSchema>

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
  uploadError: z.string().nullable()
})
export type Passage = z.infer<typeof passageSchema>

export const roleSchema = z.enum(['guard', 'admin'])
export type Role = z.infer<typeof roleSchema>

/** A logged-in user, stamped on every manual action and audit entry. */
export const actorSchema = z.object({ userId: z.string(), name: z.string(), role: roleSchema })
export type Actor = z.infer<typeof actorSchema>

export const syncStatusSchema = z.object({
  online: z.boolean(),
  pending: z.number().int(),
  /** Dead letters (the same number as `dead`; kept for existing readers). */
  failed: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Dead letters waiting for an admin. */
  dead: z.number().int(),
  /** Pending rows by spec interface (shareDrivingRecord, sharePhotoInfo …). */
  pendingByKind: z.record(z.string(), z.number().int()),
  /** ISO-8601 creation time of the oldest pending row, and its age in ms when the status was made. */
  oldestPendingAt: z.string().nullable(),
  oldestPendingAgeMs: z.number().nullable(),
  inFlight: z.number().int(),
  /** Why nothing is being sent: the platform is unreachable (backoff) or the login is being renewed. */
  paused: z.enum(['offline', 'reauth']).nullable(),
  /** While a backlog drains: rows settled since it began and the total (settled + pending), for a progress bar. */
  backlog: z.object({ settled: z.number().int(), total: z.number().int() }).nullable()
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

/** One problem of a dead letter, by spec field name ('' when it concerns the whole item, e.g. the photo file). */
export const fieldProblemSchema = z.object({ field: z.string(), message: z.string() })

/** An upload the platform refused or pre-flight stopped: kept with its reasons until fixed and re-queued. */
export const deadLetterSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  idemKey: z.string(),
  passageId: z.number().int().nullable(),
  payload: z.record(z.string(), z.string()),
  reason: z.string(),
  fields: z.array(fieldProblemSchema),
  /** False when editing fields cannot help (e.g. the photo file is damaged). */
  fixable: z.boolean(),
  attempts: z.number().int(),
  createdAt: z.string(),
  fixedBy: z.string().nullable(),
  fixedAt: z.string().nullable()
})
export type DeadLetterView = z.infer<typeof deadLetterSchema>

/** After a fix: the dead letter as it now stands, the problems pre-flight still finds, and whether it was re-queued. */
export const deadLetterFixResultSchema = z.object({
  requeued: z.boolean(),
  problems: z.array(fieldProblemSchema),
  deadLetter: deadLetterSchema.nullable()
})

export const appInfoSchema = z.object({
  version: z.string(),
  demo: z.boolean(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  lanes: z.array(laneSchema)
})
export type AppInfo = z.infer<typeof appInfoSchema>

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
      at: z.string()
    })
    .nullable(),
  /** Trucks read behind the current one, waiting their turn. */
  queued: z.number().int(),
  barrier: z.object({ arm: armPositionSchema, loopOccupied: z.boolean().nullable() }).nullable()
})
export type LaneState = z.infer<typeof laneStateSchema>

export const alarmKindSchema = z.enum(['forced_pass', 'dwell_overtime', 'repeated_refusal', 'device_offline', 'clock_skew', 'sync_backlog'])
export type AlarmKind = z.infer<typeof alarmKindSchema>

export const alarmSchema = z.object({
  id: z.number().int(),
  kind: alarmKindSchema,
  laneId: z.string().nullable(),
  plate: z.string().nullable(),
  /** What happened, in Chinese for the guard. */
  message: z.string(),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable()
})
export type Alarm = z.infer<typeof alarmSchema>

export const deviceHealthSchema = z.object({
  id: z.string(),
  kind: z.enum(['camera', 'barrier', 'display', 'scale']),
  laneId: z.string().nullable(),
  status: z.enum(['online', 'offline', 'error']),
  lastSeenAt: z.string().nullable(),
  error: z.string().nullable()
})
export type DeviceHealthView = z.infer<typeof deviceHealthSchema>

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
    confirmViolation: z.boolean().default(false)
  })
  .strict()
  .refine((input) => input.reason !== 'other' || input.note.length > 0, { message: '选择“其他”时必须填写原因', path: ['note'] })

export const manualRefuseInputSchema = z.object({ laneId: laneIdSchema, note: z.string().trim().max(200) }).strict()

export const plateCorrectionInputSchema = z
  .object({ passageId: z.number().int(), plate: plateSchema, colour: plateColourSchema })
  .strict()

const none = z.object({}).strict()

export const commands = {
  'app.info': { input: none, output: appInfoSchema },
  /** A plate typed by the guard (or entered because the camera missed it). */
  'plate.submit': {
    input: z.object({ laneId: laneIdSchema, plate: plateSchema, colour: plateColourSchema }).strict(),
    output: passageSchema
  },
  'passages.list': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.array(passageSchema)
  },
  'sync.status': { input: none, output: syncStatusSchema },
  'sync.now': { input: none, output: syncStatusSchema },
  'outbox.deadLetters': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(deadLetterSchema)
  },
  /** Corrects fields of a dead letter's payload; re-queued at once when pre-flight then finds nothing wrong. */
  'outbox.fix': {
    input: z.object({ id: z.number().int(), changes: z.record(z.string().min(1).max(64), z.string().max(2000)) }).strict(),
    output: deadLetterFixResultSchema
  },
  /** Sends a dead letter again as it is (e.g. after the platform fixed its side). */
  'outbox.requeue': { input: z.object({ id: z.number().int() }).strict(), output: z.object({ requeued: z.boolean() }) }
} as const

export const events = {
  'passage.recorded': passageSchema,
  'passage.updated': passageSchema,
  'sync.status': syncStatusSchema
} as const

export type CommandName = keyof typeof commands
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>
export type ParsedInput<C extends CommandName> = z.output<(typeof commands)[C]['input']>
export type CommandOutput<C extends CommandName> = z.output<(typeof commands)[C]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const errorCodes = ['invalid_input', 'unknown_command', 'unknown_lane', 'not_found', 'internal'] as const
export type ErrorCode = (typeof errorCodes)[number]

export interface ApiError {
  code: ErrorCode
  message: string
  /** Field-level problems of an invalid input: path → message. */
  issues?: { path: string; message: string }[]
}

/** Every reply crosses a transport in this shape. */
export type ApiReply<T> = { ok: true; result: T } | { ok: false; error: ApiError }

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name)
}

/** The whole surface a renderer sees, whatever the transport. */
export interface GateApi {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Thrown on the renderer side when a command fails; carries the typed error from main. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
    this.name = 'ApiCallError'
  }
}

export { wire } from './wire'
