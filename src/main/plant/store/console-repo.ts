import type { Pool } from './pool'

export interface BoothRow {
  id: string
  gateCode: string
  enrolledAt: number
  lastSeenAt: number | null
  revokedAt: number | null
}

export interface PlantAlarmRow {
  id: number
  kind: 'dwell_overtime'
  plate: string | null
  gateCode: string | null
  lsh: string | null
  message: string
  warningType: string | null
  raisedAt: number
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  note: string | null
  resolvedAt: number | null
}

/** A vehicle inside the plant past the dwell limit: its entry, at any gate. */
export interface Overstay {
  plate: string
  gateCode: string
  lsh: string
  enteredAt: number
}

const ALARM_COLUMNS = `id, kind, plate, gate_code AS "gateCode", lsh, message, warning_type AS "warningType", raised_at AS "raisedAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy", note, resolved_at AS "resolvedAt"`

/**
 * What the plant's admin workspace reads and keeps beside the store's own tables: the enrolled booths, and the
 * enterprise-wide dwell alarms (one per entry, resolved when that vehicle's latest passage is no longer the entry).
 */
export class PlantConsoleRepo {
  constructor(private readonly pool: Pool) {}

  async booths(): Promise<BoothRow[]> {
    const { rows } = await this.pool.query<BoothRow>(
      `SELECT id, gate_code AS "gateCode", enrolled_at AS "enrolledAt", last_seen_at AS "lastSeenAt", revoked_at AS "revokedAt" FROM booths ORDER BY gate_code, id`
    )
    return rows
  }

  /** Entries (through a raised arm, at any gate) before `enteredBefore` whose vehicle has not left and has no alarm yet. */
  async overstays(enteredBefore: number, limit: number): Promise<Overstay[]> {
    const { rows } = await this.pool.query<Overstay>(
      `SELECT v.plate, v.gate_code AS "gateCode", v.lsh, v.recognized_at AS "enteredAt" FROM vehicle_last v
        WHERE v.direction = 'in' AND v.recognized_at < $1 AND NOT EXISTS (SELECT 1 FROM plant_alarms a WHERE a.dedup_key = 'dwell:' || v.lsh)
        ORDER BY v.recognized_at LIMIT $2`,
      [enteredBefore, limit]
    )
    return rows
  }

  /** Raises the dwell alarm of one entry, once ever; null when it already exists. */
  async raiseDwell(entry: Overstay, message: string, now: number): Promise<PlantAlarmRow | null> {
    const { rows } = await this.pool.query<PlantAlarmRow>(
      `INSERT INTO plant_alarms (kind, plate, gate_code, lsh, message, warning_type, dedup_key, raised_at)
       VALUES ('dwell_overtime', $1, $2, $3, $4, '09', 'dwell:' || $3, $5) ON CONFLICT (dedup_key) DO NOTHING RETURNING ${ALARM_COLUMNS}`,
      [entry.plate, entry.gateCode, entry.lsh, message, now]
    )
    return rows[0] ?? null
  }

  /** Resolves every open dwell alarm whose vehicle has left (its latest passage is no longer that entry). */
  async resolveLeft(now: number): Promise<PlantAlarmRow[]> {
    const { rows } = await this.pool.query<PlantAlarmRow>(
      `UPDATE plant_alarms a SET resolved_at = $1
        WHERE a.kind = 'dwell_overtime' AND a.resolved_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM vehicle_last v WHERE v.lsh = a.lsh AND v.direction = 'in')
        RETURNING ${ALARM_COLUMNS}`,
      [now]
    )
    return rows
  }

  /** Newest first; `openOnly`: the unresolved ones (acknowledged or not: the vehicle is still inside). */
  async alarms(limit: number, openOnly: boolean): Promise<PlantAlarmRow[]> {
    const { rows } = await this.pool.query<PlantAlarmRow>(
      `SELECT ${ALARM_COLUMNS} FROM plant_alarms WHERE NOT $1 OR resolved_at IS NULL ORDER BY id DESC LIMIT $2`,
      [openOnly, limit]
    )
    return rows
  }

  /** Acknowledges once: a second acknowledgement keeps the first one's time, person and note. */
  async acknowledge(id: number, by: string, note: string, now: number): Promise<PlantAlarmRow | null> {
    await this.pool.query('UPDATE plant_alarms SET acknowledged_at = $2, acknowledged_by = $3, note = $4 WHERE id = $1 AND acknowledged_at IS NULL', [id, now, by, note])
    const { rows } = await this.pool.query<PlantAlarmRow>(`SELECT ${ALARM_COLUMNS} FROM plant_alarms WHERE id = $1`, [id])
    return rows[0] ?? null
  }
}
