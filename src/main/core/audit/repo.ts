import { GENESIS_HASH, rowHash, type ChainedContent, type StoredRow } from './chain'

/**
 * The storage of the audit log. The booth implements it on SQLite (booth/store/audit-log.ts); the plant will
 * implement it on PostgreSQL. Rows are never updated or deleted.
 */
export interface AuditRepo {
  /**
   * Appends one row linked to the last one (its hash as prev_hash, its own by `rowHash`), in one transaction that
   * holds the write lock from reading the last row to inserting (SQLite BEGIN IMMEDIATE; on PostgreSQL a lock), so
   * two writers never link to the same row.
   */
  append(content: Omit<ChainedContent, 'id'>): Promise<StoredRow>
  /** Newest first. */
  list(query: { limit: number; action?: string | undefined }): Promise<StoredRow[]>
  /** The rows after `afterId` in id order, at most `limit`: the chain is verified page by page. */
  page(afterId: number, limit: number): Promise<StoredRow[]>
}

/** An audit_log row as both stores keep it (SQLite and PostgreSQL). */
export interface AuditRow {
  id: number
  at: number
  actor_json: string | null
  action: string
  subject: string | null
  detail: string
  prev_hash: string
  hash: string
}

export function storedAuditRow(row: AuditRow): StoredRow {
  return { id: row.id, at: row.at, actorJson: row.actor_json, action: row.action, subject: row.subject, detail: row.detail, prevHash: row.prev_hash, hash: row.hash }
}

/** The row to append after `last` (none: the chain's first): its id, and its link to the last one's hash. */
export function nextLink(last: { id: number; hash: string } | undefined, content: Omit<ChainedContent, 'id'>): StoredRow {
  const row = { ...content, id: (last?.id ?? 0) + 1 }
  const prevHash = last?.hash ?? GENESIS_HASH
  return { ...row, prevHash, hash: rowHash(prevHash, row) }
}
