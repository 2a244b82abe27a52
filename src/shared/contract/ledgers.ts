import { z } from 'zod'
import { dayStringSchema, laneIdSchema, none, plateColourSchema, plateSchema, reportFileSchema, uploadStateSchema, type CommandSpec } from './common'

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

/** A form with two images as a phone takes them (up to ~12 MB each as base64): the body limit of the commands carrying them. */
const IMAGES_BODY_BYTES = 34 * 1024 * 1024

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

/** An image field of a form: left out or empty ('', as a form with no file picked sends it) keeps the one on file. */
const optionalImageInput = z.union([z.literal('').transform(() => undefined), ledgerImageInputSchema]).optional()

const vehicleImagesInput = {
  /** 行驶证 image; leave out (or empty) to keep the one on file. At least one of the two must exist. */
  drivingLicenseImg: optionalImageInput,
  /** 随车清单 image. */
  drivingLicenseImg2: optionalImageInput
}

/** 4.1.2 shareVehInfo: a vehicle's registration (车辆备案), one row per plate and colour, re-filed on every change. */
export const vehicleRegistrationSchema = z.object({ ...ledgerRowMeta, ...vehicleViewFields, passageId: z.number().int().nullable() })
export type VehicleRegistration = z.infer<typeof vehicleRegistrationSchema>

/**
 * What a 4.1.2 filing cannot do without: the 行驶证 page and the emission stage the city decides by (an incomplete
 * filing is what isNeedComplete "2" asks to complete). The spec states no required field (ERRATA E09): this is the
 * booth's own rule, and every field is still sent. The form flags every empty one at once, beside its field.
 */
const requiredText = (max: number, message: string) => specText(max).min(1, message)
const vehicleRegistrationFields = {
  ...vehicleFields,
  vehicleType: requiredText(8, '请填写车辆类型'),
  vin: requiredText(64, '请填写车辆识别代号'),
  useCharacter: requiredText(4, '请选择使用性质'),
  engineNo: requiredText(64, '请填写发动机号码'),
  onwer: requiredText(200, '请填写所有人'),
  address: requiredText(600, '请填写住址'),
  model: requiredText(200, '请填写品牌型号'),
  registerDate: requiredText(20, '请填写注册日期'),
  issueDate: requiredText(20, '请填写发证日期'),
  emissionStandard: requiredText(4, '请选择排放阶段')
}

export const vehicleRegistrationInputSchema = z
  .object({
    /** Absent: a new registration (or the existing one of this plate and colour is updated). */
    id: z.number().int().optional(),
    ...vehicleRegistrationFields,
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

export const ledgerCommands = {
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
  'vehicles.save': { role: 'admin', audit: true, input: vehicleRegistrationInputSchema, output: vehicleRegistrationSchema, maxBodyBytes: IMAGES_BODY_BYTES },
  'innerVehicles.list': {
    role: 'guard',
    input: z.object({ ...vehicleQuery, status: carStatusSchema.optional() }).strict(),
    output: ledgerPage(innerVehicleSchema)
  },
  'innerVehicles.save': { role: 'admin', audit: true, input: innerVehicleInputSchema, output: innerVehicleSchema, maxBodyBytes: IMAGES_BODY_BYTES },
  'innerVehicles.setStatus': { role: 'admin', audit: true, input: statusChangeInputSchema, output: innerVehicleSchema },
  'machines.list': {
    role: 'guard',
    input: z.object({ ...ledgerPageInput, mhyPlate: z.string().trim().max(32).optional(), status: carStatusSchema.optional() }).strict(),
    output: ledgerPage(machineSchema)
  },
  'machines.save': { role: 'admin', audit: true, input: machineInputSchema, output: machineSchema, maxBodyBytes: IMAGES_BODY_BYTES },
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
} as const satisfies Record<string, CommandSpec>

export const ledgerEvents = {
  /** A ledger row was written or its upload state changed: lists showing it refresh. */
  'ledger.changed': z.object({ ledger: ledgerKindSchema, id: z.number().int() })
} as const
