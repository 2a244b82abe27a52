import type { Actor, AuditEntry, AuditVerification } from '@shared/contract'
import type { Db } from '../../booth/store'
import { GENESIS_HASH, rowHash, verifyChain, type StoredRow } from './chain'
import { isoOf } from '../time'

export interface NewAuditEntry {
  actor: Actor | null
  action: string
  subject?: string | null
  detail?: Record<string, unknown>
}

interface AuditRow {
  id: number
  at: number
  actor_json: string | null
  action: string
  subject: string | null
  detail: string
  prev_hash: string
  hash: string
}

/** Keys never written to the log, whatever a caller passes. */
const SECRET_KEYS = new Set(['password', 'token', 'passwordHash'])

/**
 * The append-only audit log: who did what, when. Each row stores the previous row's hash and the hash of itself
 * plus that link, so an edited, removed or inserted row breaks the chain at that row (see verify()). SQLite triggers
 * refuse UPDATE and DELETE, so only someone editing the file itself can alter it, and verify() then finds it.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now
  ) {}

  append(entry: NewAuditEntry): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined
      const content = {
        id: (last?.id ?? 0) + 1,
        at: this.now(),
        actorJson: entry.actor ? JSON.stringify(entry.actor) : null,
        action: entry.action,
        subject: entry.subject ?? null,
        detail: JSON.stringify(redact(entry.detail ?? {}))
      }
      const prevHash = last?.hash ?? GENESIS_HASH
      this.db
        .prepare('INSERT INTO audit_log (id, at, actor_json, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(content.id, content.at, content.actorJson, content.action, content.subject, content.detail, prevHash, rowHash(prevHash, content))
      return toEntry({ ...content, prevHash, hash: '' })
    }).immediate()
  }

  /** Newest first. */
  list({ limit, action }: { limit: number; action?: string | undefined }): AuditEntry[] {
    const rows = (
      action
        ? this.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?').all(action, limit)
        : this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as AuditRow[]
    return rows.map((row) => toEntry(fromRow(row)))
  }

  verify(): AuditVerification {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>
    const { checked, firstBad } = verifyChain(mapIterable(rows, fromRow))
    return { ok: firstBad === null, checked, firstBad }
  }
}

function* mapIterable<A, B>(items: Iterable<A>, map: (item: A) => B): Generator<B> {
  for (const item of items) yield map(item)
}

function fromRow(row: AuditRow): StoredRow {
  return { id: row.id, at: row.at, actorJson: row.actor_json, action: row.action, subject: row.subject, detail: row.detail, prevHash: row.prev_hash, hash: row.hash }
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
