/** Speech: a lane's decision spoken by the booth PC itself, for lanes whose config says `"voice": "pc"`. */
import { z } from 'zod'

export const laneSpeechSchema = z.object({
  laneId: z.string(),
  /** The sentence, e.g. 豫A12345，禁止通行. */
  text: z.string(),
  at: z.string()
})
export type LaneSpeech = z.infer<typeof laneSpeechSchema>

export const voiceEvents = {
  /** Speak this now (the renderer's speech synthesis, zh-CN). */
  'lane.voice': laneSpeechSchema
} as const
