import type { LaneSettings } from '@shared/contract'
import { inTransaction, LOCKS, type Pool, type Queryable } from './pool'

/** What the lanes read, by kind of entity (docs/plant.md, "Down-replication"). */
export type FeedEntity = 'user' | 'list' | 'controlMeasures' | 'innerVehicle' | 'machine' | 'registration' | 'laneSettings'

export interface Change {
  revision: number
  entity: FeedEntity
  key: string
  /** The entity as it is now; null when it was removed. */
  body: unknown
  at: number
}

/**
 * Records that (entity, key) is now `body` (null: removed), inside the caller's transaction. The feed's advisory
 * lock, held to the commit, orders the writers, so revisions become visible in increasing order: a booth that holds
 * revision N never misses a change numbered below N that commits later. Only the latest change of a key is kept.
 */
export async function recordChange(client: Queryable, entity: FeedEntity, key: string, body: unknown, now: number): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCKS.changeFeed])
  const { rows } = await client.query<{ revision: number }>(
    `INSERT INTO changes (revision, entity, key, body, at) VALUES (nextval('change_revision'), $1, $2, $3, $4)
     ON CONFLICT (entity, key) DO UPDATE SET revision = excluded.revision, body = excluded.body, at = excluded.at
     RETURNING revision`,
    [entity, key, body === null ? null : JSON.stringify(body), now]
  )
  return rows[0]!.revision
}

/** The change feed a booth reads: everything after the revision it holds, in revision order. */
export class ChangeFeed {
  constructor(private readonly pool: Pool) {}

  /** The changes after `revision`, at most `limit`; `revision` of the answer is where the next call continues. */
  async since(revision: number, limit: number): Promise<{ changes: Change[]; revision: number; complete: boolean }> {
    const { rows } = await this.pool.query<Change>('SELECT revision, entity, key, body, at FROM changes WHERE revision > $1 ORDER BY revision LIMIT $2', [
      revision,
      limit
    ])
    return { changes: rows, revision: rows.at(-1)?.revision ?? revision, complete: rows.length < limit }
  }

  /** The newest revision (0 before the first change). */
  async head(): Promise<number> {
    const { rows } = await this.pool.query<{ revision: number | null }>('SELECT max(revision) AS revision FROM changes')
    return rows[0]?.revision ?? 0
  }

  /**
   * An admin's settings of lane `laneId` at gate `gateCode` (null: back to the defaults), for that gate's booth: key
   * `01/in1`, body the booth's own `LaneSettings` with who set it. The booth keeps and applies them (docs/plant.md).
   */
  async putLaneSettings(gateCode: string, laneId: string, settings: Omit<LaneSettings, 'laneId'> | null, by: string, now: number): Promise<number> {
    return this.putEntity('laneSettings', laneSettingsKey(gateCode, laneId), settings === null ? null : { ...settings, laneId, updatedBy: by }, by, now)
  }

  /** The lane settings filed at the plant, by `01/in1`, with when and by whom. */
  async laneSettings(): Promise<Map<string, { settings: Omit<LaneSettings, 'laneId'>; updatedAt: number; updatedBy: string }>> {
    const { rows } = await this.pool.query<{ key: string; fields: LaneSettings; updated_at: number; updated_by: string }>(
      `SELECT key, fields, updated_at, updated_by FROM ledger_rows WHERE entity = 'laneSettings'`
    )
    return new Map(
      rows.map((row) => [
        row.key,
        {
          settings: { allowedColours: row.fields.allowedColours, confirmEveryOpening: row.fields.confirmEveryOpening, goodsBeforeExit: row.fields.goodsBeforeExit },
          updatedAt: row.updated_at,
          updatedBy: row.updated_by
        }
      ])
    )
  }

  /** Files (or, with null fields, removes) a row the lanes read, with its change, in one transaction. */
  async putEntity(entity: Exclude<FeedEntity, 'user' | 'list' | 'controlMeasures'>, key: string, fields: Record<string, unknown> | null, by: string, now: number): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      if (fields === null) await client.query('DELETE FROM ledger_rows WHERE entity = $1 AND key = $2', [entity, key])
      else {
        await client.query(
          `INSERT INTO ledger_rows (entity, key, fields, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (entity, key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [entity, key, JSON.stringify(fields), now, by]
        )
      }
      return recordChange(client, entity, key, fields, now)
    })
  }
}

/** A lane at the plant is named with its gate (lane ids repeat across gates): `01/in1`. */
function laneSettingsKey(gateCode: string, laneId: string): string {
  return `${gateCode}/${laneId}`
}
