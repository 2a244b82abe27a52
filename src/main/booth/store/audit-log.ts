import type { ChainedContent, StoredRow } from '../../core/audit/chain'
import { nextLink, storedAuditRow, type AuditRepo, type AuditRow } from '../../core/audit/repo'
import type { Db } from './db'

/** The audit_log table; SQLite triggers refuse UPDATE and DELETE (migration 4). */
export class SqliteAuditRepo implements AuditRepo {
  constructor(private readonly db: Db) {}

  async append(content: Omit<ChainedContent, 'id'>): Promise<StoredRow> {
    return this.db
      .transaction(() => {
        const last = this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined
        const row = nextLink(last, content)
        this.db
          .prepare('INSERT INTO audit_log (id, at, actor_json, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(row.id, row.at, row.actorJson, row.action, row.subject, row.detail, row.prevHash, row.hash)
        return row
      })
      .immediate()
  }

  async list({ limit, action }: { limit: number; action?: string | undefined }): Promise<StoredRow[]> {
    const rows = (
      action
        ? this.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?').all(action, limit)
        : this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as AuditRow[]
    return rows.map(storedAuditRow)
  }

  async page(afterId: number, limit: number): Promise<StoredRow[]> {
    return (this.db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as AuditRow[]).map(storedAuditRow)
  }
}
