/** The guard's alarms: listed, acknowledged, announced when raised or updated. */
import { z } from 'zod'
import { type CommandSpec } from './common'

export const alarmKindSchema = z.enum(['forced_pass', 'dwell_overtime', 'repeated_refusal', 'device_offline', 'clock_skew', 'sync_backlog', 'disk_full', 'camera_refused', 'camera_clock', 'remote_raise'])
export type AlarmKind = z.infer<typeof alarmKindSchema>

export const alarmSchema = z.object({
  id: z.number().int(),
  kind: alarmKindSchema,
  laneId: z.string().nullable(),
  plate: z.string().nullable(),
  /** What happened, in Chinese for the guard. */
  message: z.string(),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
  /** B7.5 warning type where one fits (07 车辆闯岗, 09 车辆滞留超过指定时间); display only (ERRATA E64). */
  warningType: z.string().nullable().optional(),
  /**
   * A device alarm: when the device came back. Acknowledged is not resolved: an acknowledged alarm of a device still
   * offline stays open (listed) until this is set. Null while unresolved; missing for alarms that do not resolve.
   */
  resolvedAt: z.string().nullable().optional(),
  /** The passage the alarm is about (a forced pass: its photos), where there is one. */
  passageId: z.number().int().nullable().optional()
})
export type Alarm = z.infer<typeof alarmSchema>

export const alarmCommands = {
  'alarms.list': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), openOnly: z.boolean().default(false) }).strict(),
    output: z.array(alarmSchema)
  },
  'alarms.ack': {
    role: 'guard',
    audit: true,
    input: z.object({ id: z.number().int(), note: z.string().trim().min(1, '请填写处理说明').max(200) }).strict(),
    output: alarmSchema
  }
} as const satisfies Record<string, CommandSpec>

export const alarmEvents = {
  'alarm.raised': alarmSchema,
  'alarm.updated': alarmSchema
} as const
