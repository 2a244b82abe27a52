/**
 * Lane settings edited at the plant (docs/plant.md): the lanes each enrolled booth reported, per gate, with the same
 * settings as a booth's own lane-settings form; a change goes down the change feed to that gate's booth.
 */
import { z } from 'zod'
import { directionSchema, none, type CommandSpec } from './common'
import { laneSettingsSchema, laneSettingsViewSchema } from './lane-settings'

const gateCodeSchema = z.string().regex(/^(?!00)\d{2}$/, '门岗编号应为 01–99 的两位数字')

export const plantLaneSettingsViewSchema = laneSettingsViewSchema.extend({
  gateCode: z.string(),
  /** The lane's name and direction as its booth reported them. */
  name: z.string(),
  direction: directionSchema
})
export type PlantLaneSettingsView = z.infer<typeof plantLaneSettingsViewSchema>

export const plantLaneSettingsCommands = {
  'plant.laneSettings': { role: 'admin', input: none, output: z.array(plantLaneSettingsViewSchema) },
  'plant.setLaneSettings': {
    role: 'admin',
    audit: true,
    /** `laneName`: the lane as its booth named it, for the audit sentence (refused when it is not that name). */
    input: laneSettingsSchema.extend({ gateCode: gateCodeSchema, laneName: z.string().min(1).max(64) }).strict(),
    output: plantLaneSettingsViewSchema
  }
} as const satisfies Record<string, CommandSpec>
