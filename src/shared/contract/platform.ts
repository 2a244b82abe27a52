/** The city platform as the booth sees it: reachable, logged in, and its clock against ours. */
import { z } from 'zod'
import { none, type CommandSpec } from './common'

/** The booth clock against the city platform's (spec 4.1.1 datetime): skewed when off by more than 60 s. */
export const platformClockSchema = z.object({ offsetMs: z.number(), skewed: z.boolean() })
export type PlatformClockView = z.infer<typeof platformClockSchema>

/**
 * The one platform status every screen shows, from every platform contact (verification, uploads, login, the idle
 * probe): online, down (no answer, timeout, 5xx), token (login refused or expired). `text` is the guard's sentence.
 */
export const platformLinkSchema = z.object({
  state: z.enum(['unknown', 'online', 'down', 'token']),
  /** ISO-8601 instant the state began; null before the first contact. */
  since: z.string().nullable(),
  text: z.string()
})
export type PlatformLink = z.infer<typeof platformLinkSchema>

export const platformStatusSchema = z.object({
  /** Null until the first call; false after a call that got no HTTP answer. */
  reachable: z.boolean().nullable(),
  lastContactAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Platform clock minus booth clock; null before the first login. */
  clockOffsetMs: z.number().nullable(),
  clockSkewed: z.boolean(),
  loggedIn: z.boolean(),
  /** The status the header shows (also sent as the 'platform.link' event on every change). */
  link: platformLinkSchema
})
export type PlatformStatusView = z.infer<typeof platformStatusSchema>


export const platformCommands = {
  'platform.status': { role: 'guard', input: none, output: platformStatusSchema }
} as const satisfies Record<string, CommandSpec>

export const platformEvents = {
  'platform.clock': platformClockSchema,
  'platform.link': platformLinkSchema
} as const
