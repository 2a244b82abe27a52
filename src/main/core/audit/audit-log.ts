import type { Actor, AuditEntry, AuditVerification } from '@shared/contract'
import { GENESIS_HASH, verifyChain, type ChainState, type StoredRow } from './chain'
import type { AuditRepo } from './repo'
import { isoOf } from '../time'

export interface NewAuditEntry {
  actor: Actor | null
  action: string
  subject?: string | null
  detail?: Record<string, unknown>
}

/** Keys never written to the log, whatever a caller passes. */
const SECRET_KEYS = new Set(['password', 'token', 'passwordHash'])

/** Rows read per step of a verification. */
const VERIFY_PAGE_ROWS = 1_000

/**
 * The append-only audit log: who did what, when. Each row stores the previous row's hash and the hash of itself
 * plus that link, so an edited, removed or inserted row breaks the chain at that row (see verify()). The store refuses
 * UPDATE and DELETE (SQLite triggers), so only someone editing the file itself can alter it, and verify() then finds it.
 */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepo,
    private readonly now: () => number = Date.now
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.repo.append({
      at: this.now(),
      actorJson: entry.actor ? JSON.stringify(entry.actor) : null,
      action: entry.action,
      subject: entry.subject ?? null,
      detail: JSON.stringify(redact(entry.detail ?? {}))
    })
    return toEntry(row)
  }

  /** Newest first. */
  async list({ limit, action }: { limit: number; action?: string | undefined }): Promise<AuditEntry[]> {
    return (await this.repo.list({ limit, action })).map(toEntry)
  }

  /** Walks the whole chain, a page at a time. */
  async verify(): Promise<AuditVerification> {
    let state: ChainState = { prev: GENESIS_HASH, checked: 0 }
    for (let afterId = 0; ; ) {
      const rows = await this.repo.page(afterId, VERIFY_PAGE_ROWS)
      if (rows.length === 0) return { ok: true, checked: state.checked, firstBad: null }
      const { firstBad, ...next } = verifyChain(rows, state)
      if (firstBad) return { ok: false, checked: next.checked, firstBad }
      state = next
      afterId = rows[rows.length - 1]!.id
    }
  }
}

function toEntry(row: StoredRow): AuditEntry {
  return {
    id: row.id,
    at: isoOf(row.at),
    actor: row.actorJson ? (JSON.parse(row.actorJson) as Actor) : null,
    action: row.action,
    subject: row.subject,
    detail: JSON.parse(row.detail) as Record<string, unknown>
  }
}

function redact(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(detail)
      .filter(([key]) => !SECRET_KEYS.has(key))
      .map(([key, value]) => [key, isPlainObject(value) ? redact(value) : value])
  )
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
