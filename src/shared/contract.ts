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
/** How an upload state reads, on screen and in exported workbooks. */
export const UPLOAD_LABEL: Record<UploadState, string> = { pending: '待上传', uploaded: '已上传', failed: '上传失败' }

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
  /** Passed without a raised arm (闯岗): photos carry zplx 3. */
  forced: z.boolean().optional(),
  /** The plate as first read, when a guard corrected it (the record keeps both). */
  originalPlate: z.string().nullable().optional(),
  originalPlateColour: z.string().nullable().optional()
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

export const alarmKindSchema = z.enum(['forced_pass', 'dwell_overtime', 'repeated_refusal', 'device_offline', 'clock_skew', 'sync_backlog', 'camera_refused', 'camera_clock'])
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
  note: z.string().nullable(),
  /** B7.5 warning type where one fits (07 车辆闯岗, 09 车辆滞留超过指定时间); display only (ERRATA E64). */
  warningType: z.string().nullable().optional()
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


/** Live lane view (Devices issue): a renderer watches a lane while it shows it and renews before the lease ends. */
export const liveViewInputSchema = z.object({ laneId: laneIdSchema, viewerId: z.string().min(1).max(64) }).strict()

/** One live-view frame; `jpegBase64` null with `error` when the camera could not be read. */
export const cameraFrameSchema = z.object({ laneId: z.string(), jpegBase64: z.string().nullable(), at: z.string(), error: z.string().nullable() })
export type CameraFrame = z.infer<typeof cameraFrameSchema>

/** A camera's digital input changed (tns1:Device/Trigger/DigitalInput). */
export const cameraInputSchema = z.object({ laneId: z.string(), input: z.string(), active: z.boolean(), at: z.string() })
/** The booth clock against the city platform's (spec 4.1.1 datetime): skewed when off by more than 60 s. */
export const platformClockSchema = z.object({ offsetMs: z.number(), skewed: z.boolean() })
export type PlatformClockView = z.infer<typeof platformClockSchema>

export const platformStatusSchema = z.object({
  /** Null until the first call; false after a call that got no HTTP answer. */
  reachable: z.boolean().nullable(),
  lastContactAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Platform clock minus booth clock; null before the first login. */
  clockOffsetMs: z.number().nullable(),
  clockSkewed: z.boolean(),
  loggedIn: z.boolean()
})
export type PlatformStatusView = z.infer<typeof platformStatusSchema>
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

export const plateCorrectionResultSchema = z.object({
  passage: passageSchema,
  /** 'corrected': the platform gets the corrected plate; 'original': the record had already gone out with the misread. */
  uploadedPlate: z.enum(['corrected', 'original']),
  message: z.string()
})
export type PlateCorrectionResult = z.infer<typeof plateCorrectionResultSchema>
/** yyyy-MM-dd, a Beijing calendar day (ERRATA E25). */
export const dayStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd')
  .refine((day) => {
    const at = Date.parse(`${day}T00:00:00Z`)
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day
  }, '日期不存在')

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

export const reportFileSchema = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type ReportFile = z.infer<typeof reportFileSchema>

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

// ---- Ledgers (台账): 4.1.6 goods, 4.1.2 vehicle registration, 4.1.7 in-plant vehicles, 4.1.8 non-road machinery.
// Field names are the spec's own (including `onwer`), so a platform or pre-flight problem names the form field.
// Inputs are bounded here; main checks every spec rule (lengths, B7.x codes, dates, images) with the same pre-flight
// the sync worker uses, and answers `invalid_input` with one issue per field.

export const ledgerKindSchema = z.enum(['goods', 'vehicles', 'innerVehicles', 'machines'])
export type LedgerKind = z.infer<typeof ledgerKindSchema>

/** An image as the admin picked it: JPEG or PNG bytes as base64 without a `data:` prefix; main re-encodes it to a JPEG of at most 700,000 bytes (ERRATA E29). */
export const ledgerImageInputSchema = z
  .string()
  .min(1)
  .max(16_000_000, '图片文件过大（最多约 12 MB）')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '图片应为纯 base64（不带 data: 前缀）')

const specText = (max = 300) => z.string().trim().max(max)

const ledgerPageInput = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
  /** Only rows in this upload state. */
  upload: uploadStateSchema.optional()
}

/** Every ledger row: who changed it last and whether its latest change reached the platform. */
const ledgerRowMeta = {
  id: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  upload: uploadStateSchema,
  uploadError: z.string().nullable()
}

const ledgerPage = <T extends z.ZodType>(row: T) => z.object({ rows: z.array(row), total: z.number().int() })

/** 4.1.6 shareGoodsRecord, tied to a passage by its lsh. */
export const goodsRecordSchema = z.object({
  ...ledgerRowMeta,
  passageId: z.number().int().nullable(),
  lsh: z.string(),
  laneId: z.string().nullable(),
  /** dzbh */
  gateCode: z.string(),
  /** cphm / cpys */
  plate: z.string(),
  plateColour: z.string(),
  /** 货物名称, ≤ 32 characters. */
  hwmc: z.string(),
  /** 运输量 in tonnes, a decimal of at most 4 characters (ERRATA E33). */
  ysl: z.string(),
  /** 登记时间 yyyy-MM-dd HH:mm:ss */
  djsj: z.string(),
  /** Whether ysl came from the lane's weighbridge. */
  weighed: z.boolean(),
  source: z.enum(['guard', 'admin', 'import'])
})
export type GoodsRecord = z.infer<typeof goodsRecordSchema>

export const goodsRecordInputSchema = z
  .object({
    passageId: z.number().int(),
    hwmc: specText(64).min(1, '请填写货物名称'),
    ysl: specText(16).min(1, '请填写运输量（吨）'),
    /** True when ysl was taken from `goods.weight` (kept with the record). */
    weighed: z.boolean().default(false)
  })
  .strict()

export const goodsQuerySchema = z
  .object({
    ...ledgerPageInput,
    /** Plate prefix as typed (normalised like a plate). */
    plate: z.string().trim().max(10).optional(),
    from: dayStringSchema.optional(),
    to: dayStringSchema.optional()
  })
  .strict()

/** The vehicle fields 4.1.2 and 4.1.7 share, by their spec names. */
const vehicleFields = {
  license: plateSchema,
  licenseColor: plateColourSchema,
  /** B7.7 (three characters, ERRATA E21) */
  vehicleType: specText(8),
  vin: specText(64),
  /** B7.8 */
  useCharacter: specText(4),
  engineNo: specText(64),
  onwer: specText(200),
  address: specText(600),
  model: specText(200),
  /** yyyy-MM-dd (ERRATA E25) */
  registerDate: specText(20),
  issueDate: specText(20),
  /** B7.6 */
  emissionStandard: specText(4)
}
const vehicleViewFields = {
  ...Object.fromEntries(Object.keys(vehicleFields).map((name) => [name, z.string()])) as Record<keyof typeof vehicleFields, z.ZodString>,
  /** Whether each image is on file (fetch it with `ledger.image`). */
  drivingLicenseImg: z.boolean(),
  drivingLicenseImg2: z.boolean()
}
const vehicleImagesInput = {
  /** 行驶证 image; leave out to keep the one on file. At least one of the two must exist. */
  drivingLicenseImg: ledgerImageInputSchema.optional(),
  /** 随车清单 image. */
  drivingLicenseImg2: ledgerImageInputSchema.optional()
}

/** 4.1.2 shareVehInfo: a vehicle's registration (车辆备案), one row per plate and colour, re-filed on every change. */
export const vehicleRegistrationSchema = z.object({ ...ledgerRowMeta, ...vehicleViewFields, passageId: z.number().int().nullable() })
export type VehicleRegistration = z.infer<typeof vehicleRegistrationSchema>
export const vehicleRegistrationInputSchema = z
  .object({
    /** Absent: a new registration (or the existing one of this plate and colour is updated). */
    id: z.number().int().optional(),
    ...vehicleFields,
    ...vehicleImagesInput,
    /** "Register this truck" from a passage. */
    passageId: z.number().int().optional()
  })
  .strict()

export const carStatusSchema = z.enum(['1', '2', '3'])

/** 4.1.7 shareInnerVehInfo: an in-plant vehicle. carStatus 1 正常, 2 封存, 3 注销 (the lane lets only 1 pass offline). */
export const innerVehicleSchema = z.object({ ...ledgerRowMeta, ...vehicleViewFields, carStatus: carStatusSchema })
export type InnerVehicleView = z.infer<typeof innerVehicleSchema>
export const innerVehicleInputSchema = z
  .object({ id: z.number().int().optional(), ...vehicleFields, ...vehicleImagesInput, carStatus: carStatusSchema.default('1') })
  .strict()

/** 4.1.8 shareInnerMHYElec: a non-road mobile machine. mhyStatus 1 正常, 2 封存, 3 注销. */
export const machineSchema = z.object({
  ...ledgerRowMeta,
  /** 机械环保登记号码, ≤ 14 (ERRATA E35) */
  mhyPlate: z.string(),
  /** 机械名称 */
  mhyJXMC: z.string(),
  /** B7.6 */
  emissionLevel: z.string(),
  /** 机械环保代号 */
  mhyFrameNo: z.string(),
  /** 生产日期 yyyy-MM-dd */
  mhyProdDate: z.string(),
  /** Whether the nameplate image (发动机铭牌 / 随车清单) is on file. */
  imageInfo: z.boolean(),
  mhyStatus: carStatusSchema
})
export type MachineView = z.infer<typeof machineSchema>
export const machineInputSchema = z
  .object({
    id: z.number().int().optional(),
    mhyPlate: specText(32).min(1, '请填写机械环保登记号码'),
    mhyJXMC: specText(128),
    emissionLevel: specText(4),
    mhyFrameNo: specText(128),
    mhyProdDate: specText(20),
    /** Leave out to keep the one on file; required for a new machine. */
    imageInfo: ledgerImageInputSchema.optional(),
    mhyStatus: carStatusSchema.default('1')
  })
  .strict()

const vehicleQuery = {
  ...ledgerPageInput,
  /** Plate prefix as typed (normalised like a plate); served from an index. */
  plate: z.string().trim().max(10).optional()
}

export const statusChangeInputSchema = z
  .object({ id: z.number().int(), status: carStatusSchema, note: z.string().trim().max(200).default('') })
  .strict()

/** One change of a ledger row: what changed (field → before/after; images as 已更换), who, and whether it was uploaded. */
export const ledgerChangeSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  by: z.string(),
  action: z.enum(['create', 'update', 'status', 'import']),
  changes: z.record(z.string(), z.object({ from: z.string().nullable(), to: z.string() })),
  note: z.string(),
  upload: uploadStateSchema,
  uploadError: z.string().nullable()
})
export type LedgerChange = z.infer<typeof ledgerChangeSchema>

/** One refused row of an Excel import: the sheet's row number (1 = header), the spec field ('' for the whole row) and why. */
export const importProblemSchema = z.object({ row: z.number().int(), field: z.string(), message: z.string() })
export const importResultSchema = z.object({
  /** Rows written; 0 whenever any row has a problem (an import is all or nothing). */
  imported: z.number().int(),
  problems: z.array(importProblemSchema)
})
export type ImportResult = z.infer<typeof importResultSchema>

const none = z.object({}).strict()

/**
 * Who may call a command, checked by the router in main before anything else: `public` needs no login, `guard` any
 * logged-in user, `admin` an administrator. Every command declares one.
 */
export const commandRoleSchema = z.enum(['public', 'guard', 'admin'])
export type CommandRole = z.infer<typeof commandRoleSchema>

/** Who is on duty at this client, and since when (shift hand-over replaces both). */
export const sessionInfoSchema = z.object({ actor: actorSchema.nullable(), since: z.string().nullable() })
export type SessionInfo = z.infer<typeof sessionInfoSchema>

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_.-]{2,32}$/, '用户名为 2–32 位字母、数字或 _ . -')

export const loginInputSchema = z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(256) }).strict()

export const userSchema = z.object({ username: z.string(), name: z.string(), role: roleSchema, createdAt: z.string() })
export type User = z.infer<typeof userSchema>

export const newUserInputSchema = z
  .object({
    username: usernameSchema,
    name: z.string().trim().min(1, '请填写姓名').max(32),
    role: roleSchema,
    password: z.string().min(8, '密码至少 8 位').max(256)
  })
  .strict()

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: actorSchema.nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown())
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first row whose content or link does not match its hash; null when the chain is whole. */
  firstBad: z.object({ id: z.number().int(), problem: z.string() }).nullable()
})
export type AuditVerification = z.infer<typeof auditVerificationSchema>

export const passagePhotoSchema = z.object({
  zpbh: z.string(),
  zplx: z.string(),
  takenAt: z.string(),
  /** The stored JPEG, base64. */
  jpegBase64: z.string()
})
export type PassagePhoto = z.infer<typeof passagePhotoSchema>

export const passageFilterSchema = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  /** Part of the plate, as typed (normalised like a plate). */
  plate: z.string().trim().max(10).optional(),
  laneId: laneIdSchema.optional(),
  decision: decisionSchema.optional(),
  upload: uploadStateSchema.optional(),
  /** ISO-8601 instant: only passages read at or after it (the journal asks for today's). */
  from: z.iso.datetime({ offset: true }).optional()
})

export const commands = {
  'app.info': { role: 'public', input: none, output: appInfoSchema },
  /** A plate typed by the guard (or entered because the camera missed it). */
  'plate.submit': {
    role: 'guard',
    audit: true,
    input: z.object({ laneId: laneIdSchema, plate: plateSchema, colour: plateColourSchema }).strict(),
    output: passageSchema
  },
  'passages.list': {
    role: 'guard',
    input: passageFilterSchema.strict(),
    output: z.array(passageSchema)
  },
  'sync.status': { role: 'guard', input: none, output: syncStatusSchema },
  'sync.now': { role: 'guard', input: none, output: syncStatusSchema },
  'auth.login': { role: 'public', input: loginInputSchema, output: sessionInfoSchema },
  'auth.logout': { role: 'public', input: none, output: sessionInfoSchema },
  'auth.whoami': { role: 'public', input: none, output: sessionInfoSchema },
  /** Shift hand-over: the incoming user signs in on the outgoing user's session, with a note for the log. */
  'auth.handover': {
    role: 'guard',
    input: loginInputSchema.extend({ note: z.string().trim().max(200).default('') }).strict(),
    output: sessionInfoSchema
  },
  'users.list': { role: 'admin', input: none, output: z.array(userSchema) },
  'users.add': { role: 'admin', audit: true, input: newUserInputSchema, output: userSchema },
  'audit.list': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), action: z.string().max(64).optional() }).strict(),
    output: z.array(auditEntrySchema)
  },
  'audit.verify': { role: 'admin', input: none, output: auditVerificationSchema },
  /** A recorded passage's photos, for the journal's viewer. */
  'passage.photos': { role: 'guard', input: z.object({ passageId: z.number().int() }).strict(), output: z.array(passagePhotoSchema) },
  'camera.live.watch': { role: 'guard', input: liveViewInputSchema, output: z.object({ fps: z.number(), leaseMs: z.number().int() }) },
  'camera.live.unwatch': { role: 'guard', input: liveViewInputSchema, output: z.object({}) },
  'platform.status': { role: 'guard', input: none, output: platformStatusSchema },
  /** Every device the booth drives (barriers, displays, scales, cameras): online, last seen, last error. */
  'devices.health': { role: 'guard', input: none, output: z.array(deviceHealthSchema) },
  'lanes.state': { role: 'guard', input: none, output: z.array(laneStateSchema) },
  /** The guard lets the truck waiting in the lane through (Lane issue §5). */
  'lane.release': { role: 'guard', audit: true, input: manualReleaseInputSchema, output: laneStateSchema },
  'lane.refuse': { role: 'guard', audit: true, input: manualRefuseInputSchema, output: laneStateSchema },
  'passage.correctPlate': { role: 'guard', audit: true, input: plateCorrectionInputSchema, output: plateCorrectionResultSchema },
  /** Takes the lane camera's photo again for the truck in the lane. */
  'lane.recapture': { role: 'guard', audit: true, input: z.object({ laneId: laneIdSchema }).strict(), output: laneStateSchema },
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
  },
  'alarms.list': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), openOnly: z.boolean().default(false) }).strict(),
    output: z.array(alarmSchema)
  },
  'alarms.ack': {
    role: 'guard',
    audit: true,
    input: z.object({ id: z.number().int(), note: z.string().trim().min(1, '请填写处理说明').max(200) }).strict(),
    output: alarmSchema
  },
  /** Spec 4.2.12 statistics per day and per lane, from the daily rollup of passages. */
  'stats.daily': { role: 'guard', input: statsQuerySchema, output: dailyStatisticsSchema },
  /** The same statistics as an Excel workbook or a PDF, returned as bytes for the renderer to save. */
  'stats.export': {
    role: 'guard',
    input: z.object({ from: dayStringSchema, to: dayStringSchema, laneId: laneIdSchema.optional(), format: z.enum(['xlsx', 'pdf']) }).strict(),
    output: reportFileSchema
  },
  'storage.status': { role: 'guard', input: none, output: storageStatusSchema },
  'outbox.deadLetters': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(deadLetterSchema)
  },
  /** Corrects fields of a dead letter's payload; re-queued at once when pre-flight then finds nothing wrong. */
  'outbox.fix': {
    role: 'admin',
    audit: true,
    input: z.object({ id: z.number().int(), changes: z.record(z.string().min(1).max(64), z.string().max(2000)) }).strict(),
    output: deadLetterFixResultSchema
  },
  /** Sends a dead letter again as it is (e.g. after the platform fixed its side). */
  'outbox.requeue': { role: 'admin', audit: true, input: z.object({ id: z.number().int() }).strict(), output: z.object({ requeued: z.boolean() }) },
  /** Goods of a passage (4.1.6): a guard enters them once at exit; changing a recorded one needs an admin. */
  'goods.record': { role: 'guard', audit: true, input: goodsRecordInputSchema, output: goodsRecordSchema },
  'goods.list': { role: 'guard', input: goodsQuerySchema, output: ledgerPage(goodsRecordSchema) },
  /** The goods of one passage, or null. */
  'goods.forPassage': { role: 'guard', input: z.object({ passageId: z.number().int() }).strict(), output: goodsRecordSchema.nullable() },
  /** The lane weighbridge's current reading in tonnes (spec unit), or why there is none. */
  'goods.weight': {
    role: 'guard',
    input: z.object({ laneId: laneIdSchema }).strict(),
    output: z.object({ tonnes: z.string().nullable(), stable: z.boolean(), at: z.string().nullable(), message: z.string() })
  },
  /** The goods names the admin keeps for the guard's picker. */
  'goods.names': { role: 'guard', input: none, output: z.array(z.string()) },
  'goods.setNames': {
    role: 'admin',
    audit: true,
    input: z.object({ names: z.array(z.string().trim().min(1).max(32)).max(500) }).strict(),
    output: z.array(z.string())
  },
  'vehicles.list': { role: 'guard', input: z.object(vehicleQuery).strict(), output: ledgerPage(vehicleRegistrationSchema) },
  'vehicles.save': { role: 'admin', audit: true, input: vehicleRegistrationInputSchema, output: vehicleRegistrationSchema },
  'innerVehicles.list': {
    role: 'guard',
    input: z.object({ ...vehicleQuery, status: carStatusSchema.optional() }).strict(),
    output: ledgerPage(innerVehicleSchema)
  },
  'innerVehicles.save': { role: 'admin', audit: true, input: innerVehicleInputSchema, output: innerVehicleSchema },
  'innerVehicles.setStatus': { role: 'admin', audit: true, input: statusChangeInputSchema, output: innerVehicleSchema },
  'machines.list': {
    role: 'guard',
    input: z.object({ ...ledgerPageInput, mhyPlate: z.string().trim().max(32).optional(), status: carStatusSchema.optional() }).strict(),
    output: ledgerPage(machineSchema)
  },
  'machines.save': { role: 'admin', audit: true, input: machineInputSchema, output: machineSchema },
  'machines.setStatus': { role: 'admin', audit: true, input: statusChangeInputSchema, output: machineSchema },
  /** Every change of one ledger row, newest first. */
  'ledger.history': {
    role: 'guard',
    input: z.object({ ledger: ledgerKindSchema, id: z.number().int() }).strict(),
    output: z.array(ledgerChangeSchema)
  },
  /** An image on file, as the JPEG that is (or will be) uploaded. */
  'ledger.image': {
    role: 'guard',
    input: z.object({ ledger: ledgerKindSchema, id: z.number().int(), field: z.enum(['drivingLicenseImg', 'drivingLicenseImg2', 'imageInfo']) }).strict(),
    output: z.object({ jpegBase64: z.string() })
  },
  /** A ledger as an Excel workbook (the same filter as its list, every matching row). */
  'ledger.export': {
    role: 'guard',
    input: z.object({ ledger: ledgerKindSchema, plate: z.string().trim().max(32).optional() }).strict(),
    output: reportFileSchema
  },
  /** An Excel workbook in the export's layout: all rows or none, with every refused row reported. */
  'ledger.import': {
    role: 'admin',
    audit: true,
    input: z.object({ ledger: ledgerKindSchema, fileName: z.string().max(200), base64: z.string().min(1).max(60_000_000) }).strict(),
    output: importResultSchema
  }
} as const satisfies Record<string, { role: CommandRole; audit?: true; input: z.ZodType; output: z.ZodType }>

export const events = {
  'passage.recorded': passageSchema,
  'passage.updated': passageSchema,
  'sync.status': syncStatusSchema,
  'camera.frame': cameraFrameSchema,
  'camera.input': cameraInputSchema,
  'platform.clock': platformClockSchema,
  /** A device's status or error changed. */
  'device.health': deviceHealthSchema,
  'lane.state': laneStateSchema,
  'alarm.raised': alarmSchema,
  'alarm.updated': alarmSchema,
  /** Published when free disk space changes level (ok → warn → critical and back). */
  'storage.status': storageStatusSchema,
  /** A ledger row was written or its upload state changed: lists showing it refresh. */
  'ledger.changed': z.object({ ledger: ledgerKindSchema, id: z.number().int() })
} as const

export type CommandName = keyof typeof commands
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>
export type ParsedInput<C extends CommandName> = z.output<(typeof commands)[C]['input']>
export type CommandOutput<C extends CommandName> = z.output<(typeof commands)[C]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const errorCodes = ['invalid_input', 'unknown_command', 'unknown_lane', 'not_found', 'internal', 'unavailable', 'unauthenticated', 'forbidden', 'rate_limited'] as const
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
