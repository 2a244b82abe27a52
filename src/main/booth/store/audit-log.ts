import { GENESIS_HASH, rowHash, type ChainedContent, type StoredRow } from '../../core/audit/chain'
import type { AuditRepo } from '../../core/audit/repo'
import type { Db } from './db'

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

/** The audit_log table; SQLite triggers refuse UPDATE and DELETE (migration 4). */
export class SqliteAuditRepo implements AuditRepo {
  constructor(private readonly db: Db) {}

  async append(content: Omit<ChainedContent, 'id'>): Promise<StoredRow> {
    return this.db
      .transaction(() => {
        const last = this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined
        const row = { ...content, id: (last?.id ?? 0) + 1 }
        const prevHash = last?.hash ?? GENESIS_HASH
        const hash = rowHash(prevHash, row)
        this.db
          .prepare('INSERT INTO audit_log (id, at, actor_json, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(row.id, row.at, row.actorJson, row.action, row.subject, row.detail, prevHash, hash)
        return { ...row, prevHash, hash }
      })
      .immediate()
  }

  async list({ limit, action }: { limit: number; action?: string | undefined }): Promise<StoredRow[]> {
    const rows = (
      action
        ? this.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?').all(action, limit)
        : this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as AuditRow[]
    return rows.map(fromRow)
  }

  async page(afterId: number, limit: number): Promise<StoredRow[]> {
    return (this.db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as AuditRow[]).map(fromRow)
  }
}

function fromRow(row: AuditRow): StoredRow {
  return { id: row.id, at: row.at, actorJson: row.actor_json, action: row.action, subject: row.subject, detail: row.detail, prevHash: row.prev_hash, hash: row.hash }
}
