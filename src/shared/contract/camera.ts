/** The lane cameras: live view while a screen shows a lane, and their digital inputs. */
import { z } from 'zod'
import { laneIdSchema, type CommandSpec } from './common'

/** Live lane view (Devices issue): a renderer watches a lane while it shows it and renews before the lease ends. */
export const liveViewInputSchema = z.object({ laneId: laneIdSchema, viewerId: z.string().min(1).max(64) }).strict()

/** One live-view frame; `jpegBase64` null with `error` when the camera could not be read. */
export const cameraFrameSchema = z.object({ laneId: z.string(), jpegBase64: z.string().nullable(), at: z.string(), error: z.string().nullable() })
export type CameraFrame = z.infer<typeof cameraFrameSchema>

/** A camera's digital input changed (tns1:Device/Trigger/DigitalInput). */
export const cameraInputSchema = z.object({ laneId: z.string(), input: z.string(), active: z.boolean(), at: z.string() })

export const cameraCommands = {
  'camera.live.watch': { role: 'guard', input: liveViewInputSchema, output: z.object({ fps: z.number(), leaseMs: z.number().int() }) },
  'camera.live.unwatch': { role: 'guard', input: liveViewInputSchema, output: z.object({}) }
} as const satisfies Record<string, CommandSpec>

export const cameraEvents = {
  'camera.frame': cameraFrameSchema,
  'camera.input': cameraInputSchema
} as const
