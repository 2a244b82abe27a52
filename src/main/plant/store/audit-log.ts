import type { ChainedContent, StoredRow } from '../../core/audit/chain'
import { nextLink, storedAuditRow, type AuditRepo, type AuditRow } from '../../core/audit/repo'
import { inTransaction, LOCKS, type Pool } from './pool'

/** The plant's audit log: the booth's hash chain; a trigger refuses UPDATE and DELETE. */
export class PgAuditRepo implements AuditRepo {
  constructor(private readonly pool: Pool) {}

  /** The audit lock, held from reading the last row to the commit, keeps two plant processes off the same link. */
  async append(content: Omit<ChainedContent, 'id'>): Promise<StoredRow> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCKS.audit])
      const last = (await client.query<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0]
      const row = nextLink(last, content)
      await client.query('INSERT INTO audit_log (id, at, actor_json, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        row.id,
        row.at,
        row.actorJson,
        row.action,
        row.subject,
        row.detail,
        row.prevHash,
        row.hash
      ])
      return row
    })
  }

  async list({ limit, action }: { limit: number; action?: string | undefined }): Promise<StoredRow[]> {
    const { rows } = action
      ? await this.pool.query<AuditRow>('SELECT * FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT $2', [action, limit])
      : await this.pool.query<AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit])
    return rows.map(storedAuditRow)
  }

  async page(afterId: number, limit: number): Promise<StoredRow[]> {
    return (await this.pool.query<AuditRow>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit])).rows.map(storedAuditRow)
  }
}
