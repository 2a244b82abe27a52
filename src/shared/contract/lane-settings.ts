/** What the admin sets per lane beyond the config file: allowed plate colours, 二次确认, goods before exit. */
import { z } from 'zod'
import { laneIdSchema, plateColourSchema, type CommandSpec } from './common'

export const laneSettingsSchema = z.object({
  laneId: laneIdSchema,
  /** B7.1 colours the lane lets through; empty: every colour. */
  allowedColours: z.array(plateColourSchema).max(8),
  /** 二次确认: every truck the lane would let through is held until the guard confirms it. */
  confirmEveryOpening: z.boolean(),
  /** 必须登记货物才放行 (exit lanes): the barrier opens only once goods are recorded for the truck's visit. */
  goodsBeforeExit: z.boolean()
})
export type LaneSettings = z.infer<typeof laneSettingsSchema>

export const laneSettingsViewSchema = laneSettingsSchema.extend({ updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
export type LaneSettingsView = z.infer<typeof laneSettingsViewSchema>

export const laneSettingsCommands = {
  /** Every configured lane's settings (defaults where the admin set none). */
  'laneSettings.list': { role: 'guard', input: z.object({}).strict(), output: z.array(laneSettingsViewSchema) },
  'laneSettings.set': { role: 'admin', audit: true, input: laneSettingsSchema.strict(), output: laneSettingsViewSchema }
} as const satisfies Record<string, CommandSpec>
