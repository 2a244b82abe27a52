/** Every device the booth drives (barriers, displays, scales, cameras) and its health. */
import { z } from 'zod'
import { none, type CommandSpec } from './common'

export const deviceHealthSchema = z.object({
  id: z.string(),
  kind: z.enum(['camera', 'barrier', 'display', 'scale']),
  laneId: z.string().nullable(),
  status: z.enum(['online', 'offline', 'error']),
  lastSeenAt: z.string().nullable(),
  error: z.string().nullable()
})
export type DeviceHealthView = z.infer<typeof deviceHealthSchema>

export const deviceCommands = {
  /** Every device the booth drives (barriers, displays, scales, cameras): online, last seen, last error. */
  'devices.health': { role: 'guard', input: none, output: z.array(deviceHealthSchema) }
} as const satisfies Record<string, CommandSpec>

export const deviceEvents = {
  /** A device's status or error changed. */
  'device.health': deviceHealthSchema
} as const
