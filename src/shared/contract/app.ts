/** The booth itself: version, demo mode, enterprise and lanes (the renderer asks first, before login). */
import { z } from 'zod'
import { laneSchema, none, type CommandSpec } from './common'

export const appInfoSchema = z.object({
  version: z.string(),
  demo: z.boolean(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  lanes: z.array(laneSchema),
  /** The plant server (docs/plant.md): no lanes of its own; the workspace shows the enterprise's views. */
  plant: z.boolean().optional()
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const appCommands = {
  'app.info': { role: 'public', input: none, output: appInfoSchema }
} as const satisfies Record<string, CommandSpec>
