/** What every area of the contract shares: plates, lanes, actors, roles, the error and reply shapes. */
import { z } from 'zod'
import { isPlateColourCode, normalizePlate, plateProblem } from '../plate'

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

export const roleSchema = z.enum(['guard', 'admin'])
export type Role = z.infer<typeof roleSchema>

/** A logged-in user, stamped on every manual action and audit entry. */
export const actorSchema = z.object({ userId: z.string(), name: z.string(), role: roleSchema })
export type Actor = z.infer<typeof actorSchema>

/** yyyy-MM-dd, a Beijing calendar day (ERRATA E25). */
export const dayStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd')
  .refine((day) => {
    const at = Date.parse(`${day}T00:00:00Z`)
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day
  }, '日期不存在')

export const reportFileSchema = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type ReportFile = z.infer<typeof reportFileSchema>

/** The input of a command that takes none. */
export const none = z.object({}).strict()

/**
 * Who may call a command, checked by the router in main before anything else: `public` needs no login, `guard` any
 * logged-in user, `admin` an administrator. Every command declares one.
 */
export const commandRoleSchema = z.enum(['public', 'guard', 'admin'])
export type CommandRole = z.infer<typeof commandRoleSchema>

/** One command: who may call it, whether the router audits it, and its input and output schemas. */
export interface CommandSpec {
  role: CommandRole
  audit?: true
  input: z.ZodType
  output: z.ZodType
  /**
   * Over HTTP: the largest body this command takes, for commands that carry images as they come from a phone (the
   * default is 1 MiB). Its long strings are read apart from JSON.parse, so a large body does not block the host.
   */
  maxBodyBytes?: number
}

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

/** Thrown on the renderer side when a command fails; carries the typed error from main. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
    this.name = 'ApiCallError'
  }
}
