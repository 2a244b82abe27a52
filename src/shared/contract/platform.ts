/** The city platform as the booth sees it: reachable, logged in, and its clock against ours. */
import { z } from 'zod'
import { none, type CommandSpec } from './common'

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

export const platformCommands = {
  'platform.status': { role: 'guard', input: none, output: platformStatusSchema }
} as const satisfies Record<string, CommandSpec>

export const platformEvents = {
  'platform.clock': platformClockSchema
} as const
