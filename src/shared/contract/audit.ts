/** The append-only audit log: read by guards, its hash chain verified by an admin. */
import { z } from 'zod'
import { actorSchema, none, type CommandSpec } from './common'

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: actorSchema.nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown())
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first row whose content or link does not match its hash; null when the chain is whole. */
  firstBad: z.object({ id: z.number().int(), problem: z.string() }).nullable()
})
export type AuditVerification = z.infer<typeof auditVerificationSchema>

export const auditCommands = {
  'audit.list': {
    role: 'guard',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), action: z.string().max(64).optional() }).strict(),
    output: z.array(auditEntrySchema)
  },
  'audit.verify': { role: 'admin', input: none, output: auditVerificationSchema }
} as const satisfies Record<string, CommandSpec>
