import { z } from 'zod'
import type { CommandSpec } from './common'

// ---- Document reading (证件识别): the 行驶证 (main and vice page) and the 随车清单, read offline on the booth PC to
// pre-fill the 4.1.2 registration form. A reading is only a suggestion: nothing is filed until an admin saves the form.

/** Which document a picture shows; `auto` lets main tell it by the words printed on it. */
export const ocrDocumentSchema = z.enum(['auto', 'licenseMain', 'licenseVice', 'goodsList'])
export type OcrDocument = z.infer<typeof ocrDocumentSchema>

/**
 * Base64 (no `data:` prefix) of a JPEG or PNG. The renderer scales a phone photo (3–8 MB) down to what the reading
 * needs (longest side 2,000 px) before sending, so one picture stays well inside the API's 1 MB body.
 */
export const OCR_IMAGE_MAX_BASE64 = 1_000_000
export const ocrImageSchema = z
  .string()
  .min(1, '请选择证件图片')
  .max(OCR_IMAGE_MAX_BASE64, '图片过大，请重新拍摄或选择较小的图片')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '图片应为纯 base64（不带 data: 前缀）')

/** The form fields a reading may fill, by their 4.1.2 spec names; `fuelType` (B7.12) is shown for the admin only. */
export const ocrFieldNameSchema = z.enum([
  'license',
  'vehicleType',
  'onwer',
  'address',
  'useCharacter',
  'model',
  'vin',
  'engineNo',
  'registerDate',
  'issueDate',
  'emissionStandard',
  'fuelType'
])
export type OcrFieldName = z.infer<typeof ocrFieldNameSchema>

/** Below this confidence a field is highlighted for the admin to check. */
export const OCR_LOW_CONFIDENCE = 0.9

export const ocrFieldSchema = z.object({
  field: ocrFieldNameSchema,
  /** As the form takes it: a plate normalised, a date yyyy-MM-dd, a B7 code for coded fields. */
  value: z.string(),
  /** The text as read, before any rule. */
  read: z.string(),
  /** 0–1: the reader's own confidence, lowered when the field fails its rule. */
  confidence: z.number(),
  /** Why the field fails its rule (Chinese), or null. */
  problem: z.string().nullable(),
  /** confidence < OCR_LOW_CONFIDENCE or a problem: the admin should check it. */
  low: z.boolean()
})
export type OcrField = z.infer<typeof ocrFieldSchema>

export const ocrReadingSchema = z.object({
  /** The document the picture was taken for (or told by its words). */
  document: ocrDocumentSchema.exclude(['auto']),
  fields: z.array(ocrFieldSchema),
  /** Degrees the picture was turned to straighten it (0 when it was straight). */
  straightened: z.number(),
  /** The straightened, cropped picture as JPEG base64: the one to file as the licence / list image. */
  jpegBase64: z.string(),
  elapsedMs: z.number()
})
export type OcrReading = z.infer<typeof ocrReadingSchema>

export const ocrCommands = {
  /** Reads one picture of a 行驶证 page or a 随车清单; refuses a picture that is none of them (`invalid_input`). */
  'ocr.read': {
    role: 'admin',
    input: z.object({ document: ocrDocumentSchema.default('auto'), imageBase64: ocrImageSchema }).strict(),
    output: ocrReadingSchema
  }
} as const satisfies Record<string, CommandSpec>
