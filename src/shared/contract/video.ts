/** Video evidence: a passage's clip from the lane's NVR (recorder), its fetch state, playback and the inspector export. */
import { z } from 'zod'
import { laneIdSchema, reportFileSchema, type CommandSpec } from './common'

/**
 * reference: only the pointer (recorder, channel, period) is kept; pending: the clip is being fetched (retried while
 * the recorder may still hold it); stored: the MP4 is on the booth's disk; missing: it could not be had (`error` says why).
 */
export const clipStateSchema = z.enum(['reference', 'pending', 'stored', 'missing'])
export type ClipState = z.infer<typeof clipStateSchema>

export const CLIP_STATE_LABEL: Record<ClipState, string> = { reference: '未调取', pending: '调取中', stored: '已保存', missing: '无法取得' }

export const passageClipSchema = z.object({
  passageId: z.number().int(),
  lsh: z.string(),
  /** The recorder's name as configured, and the channel on it. */
  recorder: z.string(),
  channel: z.string(),
  /** ISO-8601 instants: the period of the clip (by default 10 s before the read to 20 s after). */
  start: z.string(),
  end: z.string(),
  state: clipStateSchema,
  /** Why it is (or was) fetched, in Chinese: 拒绝通行, 闯岗, 人工放行, 管理员调取 … */
  cause: z.string().nullable(),
  /** The last failure (pending) or the reason it is missing, in Chinese. */
  error: z.string().nullable(),
  attempts: z.number().int(),
  bytes: z.number().int().nullable(),
  durationMs: z.number().int().nullable()
})
export type PassageClip = z.infer<typeof passageClipSchema>

const passageIdInput = z.object({ passageId: z.number().int() }).strict()
const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd')

export const videoCommands = {
  /** A passage's clips (one per configured channel of its lane); empty when the lane names no recorder. */
  'passage.clips': { role: 'guard', input: passageIdInput, output: z.array(passageClipSchema) },
  /** A stored clip's MP4, for the journal's player. */
  'passage.clip.video': {
    role: 'guard',
    input: z.object({ passageId: z.number().int(), channel: z.string().max(64) }).strict(),
    output: z.object({ mimeType: z.literal('video/mp4'), base64: z.string() })
  },
  /** An admin asks for a passage's clips (also one the booth would not fetch by itself); missing ones are tried again. */
  'passage.clip.request': { role: 'admin', audit: true, input: passageIdInput, output: z.array(passageClipSchema) },
  /** The passages of a period (Beijing days) as a ZIP: 通行记录.xlsx and the stored clips, named by lsh. */
  'video.export': {
    role: 'admin',
    audit: true,
    input: z.object({ from: dayString, to: dayString, laneId: laneIdSchema.optional() }).strict(),
    output: reportFileSchema
  }
} as const satisfies Record<string, CommandSpec>

export const videoEvents = {
  /** A clip changed state (requested, stored, missing …). */
  'clip.updated': passageClipSchema
} as const
