import type { ControlMeasures, ControlMeasuresView, LocalListEntry } from '@shared/contract'
import { controlMeasuresView, localListEntry, type ControlMeasuresRow, type LocalListRow, type PolicyActor, type PolicyRepo } from '../../core/policy/repo'
import { recordChange } from './feed'
import { inTransaction, type Client, type Pool } from './pool'

type Kind = LocalListEntry['kind']

/**
 * Control measures and the white/black lists at the plant: each change is one transaction with its manual-action
 * row and its change in the feed, so every booth's replica follows.
 */
export class PgPolicyRepo implements PolicyRepo {
  constructor(private readonly pool: Pool) {}

  async controlMeasures(): Promise<ControlMeasuresView> {
    return controlMeasuresView((await this.pool.query<ControlMeasuresRow>('SELECT * FROM control_measures WHERE id = 1')).rows[0])
  }

  async setControlMeasures(measures: ControlMeasures, by: PolicyActor, now: number): Promise<ControlMeasuresView> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<ControlMeasuresRow>(
        `INSERT INTO control_measures (id, level, area, strategy, enterprise_type, measures, note, starts_at, ends_at, updated_at, updated_by)
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET level = excluded.level, area = excluded.area, strategy = excluded.strategy,
           enterprise_type = excluded.enterprise_type, measures = excluded.measures, note = excluded.note,
           starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = excluded.updated_at, updated_by = excluded.updated_by
         RETURNING *`,
        [
          measures.level,
          measures.area,
          measures.strategy,
          measures.enterpriseType,
          measures.measures,
          measures.note,
          measures.startsAt ? Date.parse(measures.startsAt) : null,
          measures.endsAt ? Date.parse(measures.endsAt) : null,
          now,
          by.actorName
        ]
      )
      await manualAction(client, { action: 'set_control_measures', by, details: measures }, now)
      const view = controlMeasuresView(rows[0])
      await recordChange(client, 'controlMeasures', '1', view, now)
      return view
    })
  }

  async list(kind?: Kind): Promise<LocalListEntry[]> {
    const { rows } = kind
      ? await this.pool.query<LocalListRow>('SELECT * FROM local_lists WHERE kind = $1 ORDER BY plate', [kind])
      : await this.pool.query<LocalListRow>('SELECT * FROM local_lists ORDER BY kind, plate')
    return rows.map(localListEntry)
  }

  async addToList(kind: Kind, plate: string, note: string, by: PolicyActor, now: number, expiresAt: number | null): Promise<LocalListEntry> {
    return inTransaction(this.pool, async (client) => {
      await manualAction(client, { action: 'list_add', by, plate, reason: kind, note }, now)
      const { rows } = await client.query<LocalListRow>(
        `INSERT INTO local_lists (kind, plate, note, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, plate) DO UPDATE SET note = excluded.note, created_at = excluded.created_at, created_by = excluded.created_by,
           expires_at = excluded.expires_at
         RETURNING *`,
        [kind, plate, note, now, by.actorName, expiresAt]
      )
      const entry = localListEntry(rows[0]!)
      await recordChange(client, 'list', `${kind}:${plate}`, entry, now)
      return entry
    })
  }

  async removeFromList(kind: Kind, plate: string, by: PolicyActor, now: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      await manualAction(client, { action: 'list_remove', by, plate, reason: kind }, now)
      const { rowCount } = await client.query('DELETE FROM local_lists WHERE kind = $1 AND plate = $2', [kind, plate])
      if (rowCount !== 1) return false
      await recordChange(client, 'list', `${kind}:${plate}`, null, now)
      return true
    })
  }
}

async function manualAction(
  client: Client,
  entry: { action: string; by: PolicyActor; plate?: string; reason?: string; note?: string; details?: unknown },
  now: number
): Promise<void> {
  await client.query(
    'INSERT INTO manual_actions (at, actor_id, actor_name, action, plate, reason, note, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [now, entry.by.actorId, entry.by.actorName, entry.action, entry.plate ?? null, entry.reason ?? null, entry.note ?? '', entry.details === undefined ? null : JSON.stringify(entry.details)]
  )
}
