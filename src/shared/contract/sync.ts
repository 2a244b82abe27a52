/** The outbox: upload status, and the dead letters an admin fixes or sends again. */
import { z } from 'zod'
import { none, type CommandSpec } from './common'

export const syncStatusSchema = z.object({
  online: z.boolean(),
  pending: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Dead letters waiting for an admin. */
  dead: z.number().int(),
  /** Pending rows by spec interface (shareDrivingRecord, sharePhotoInfo …). */
  pendingByKind: z.record(z.string(), z.number().int()),
  /** ISO-8601 creation time of the oldest pending row, and its age in ms when the status was made. */
  oldestPendingAt: z.string().nullable(),
  oldestPendingAgeMs: z.number().nullable(),
  inFlight: z.number().int(),
  /** Why nothing is being sent: the platform is unreachable (backoff) or the login is being renewed. */
  paused: z.enum(['offline', 'reauth']).nullable(),
  /** While a backlog drains: rows settled since it began and the total (settled + pending), for a progress bar. */
  backlog: z.object({ settled: z.number().int(), total: z.number().int() }).nullable()
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

/** One problem of a dead letter, by spec field name ('' when it concerns the whole item, e.g. the photo file). */
export const fieldProblemSchema = z.object({ field: z.string(), message: z.string() })

/** An upload the platform refused or pre-flight stopped: kept with its reasons until fixed and re-queued. */
export const deadLetterSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  idemKey: z.string(),
  passageId: z.number().int().nullable(),
  payload: z.record(z.string(), z.string()),
  reason: z.string(),
  fields: z.array(fieldProblemSchema),
  /** False when editing fields cannot help (e.g. the photo file is damaged). */
  fixable: z.boolean(),
  attempts: z.number().int(),
  createdAt: z.string(),
  fixedBy: z.string().nullable(),
  fixedAt: z.string().nullable()
})
export type DeadLetterView = z.infer<typeof deadLetterSchema>

/** After a fix: the dead letter as it now stands, the problems pre-flight still finds, and whether it was re-queued. */
export const deadLetterFixResultSchema = z.object({
  requeued: z.boolean(),
  problems: z.array(fieldProblemSchema),
  deadLetter: deadLetterSchema.nullable()
})

export const syncCommands = {
  'sync.status': { role: 'guard', input: none, output: syncStatusSchema },
  'sync.now': { role: 'guard', input: none, output: syncStatusSchema },
  'outbox.deadLetters': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(deadLetterSchema)
  },
  /** Corrects fields of a dead letter's payload; re-queued at once when pre-flight then finds nothing wrong. */
  'outbox.fix': {
    role: 'admin',
    audit: true,
    input: z.object({ id: z.number().int(), changes: z.record(z.string().min(1).max(64), z.string().max(2000)) }).strict(),
    output: deadLetterFixResultSchema
  },
  /** Sends a dead letter again as it is (e.g. after the platform fixed its side). */
  'outbox.requeue': { role: 'admin', audit: true, input: z.object({ id: z.number().int() }).strict(), output: z.object({ requeued: z.boolean() }) }
} as const satisfies Record<string, CommandSpec>

export const syncEvents = {
  'sync.status': syncStatusSchema
} as const
