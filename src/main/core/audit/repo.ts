import type { ChainedContent, StoredRow } from './chain'

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
