import type { Alarm, AlarmKind } from '@shared/contract'
import type { AlarmStore, NewAlarm } from '../../core/alarms/store'
import type { Db } from './db'
import { isoOf, isoOrNull } from '../../core/time'
import type { Passages } from './passages'

export type { NewAlarm }

interface Row {
  id: number
  kind: AlarmKind
  warning_type: string | null
  lane_id: string | null
  plate: string | null
  message: string
  raised_at: number
  acknowledged_at: number | null
  acknowledged_by: string | null
  note: string | null
  resolved_at: number | null
  passage_id: number | null
}

/** Still open: not acknowledged, or a device alarm whose device is not back yet (acknowledged is not resolved). */
const OPEN = `(acknowledged_at IS NULL OR (kind = 'device_offline' AND resolved_at IS NULL))`
/** The same trouble still going on: a device alarm until its device is back, any other until acknowledged. */
const ONGOING = `(CASE WHEN kind = 'device_offline' THEN resolved_at IS NULL ELSE acknowledged_at IS NULL END)`

/** Alarms for the guard: raised, listed, acknowledged with a note; never deleted. */
export class AlarmsStore {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the alarm unless one with the same dedup key is still going on (or, with `once`, ever existed).
   * Returns the new alarm, or null when it was a repeat.
   */
  raise(alarm: NewAlarm, now: number, once = false): Alarm | null {
    if (alarm.dedupKey) {
      const clause = once ? '' : ` AND ${ONGOING}`
      if (this.db.prepare(`SELECT 1 FROM alarms WHERE dedup_key = ?${clause}`).get(alarm.dedupKey) !== undefined) return null
    }
    const result = this.db
      .prepare(
        `INSERT INTO alarms (kind, warning_type, lane_id, plate, passage_id, message, dedup_key, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(alarm.kind, alarm.warningType ?? null, alarm.laneId ?? null, alarm.plate ?? null, alarm.passageId ?? null, alarm.message, alarm.dedupKey ?? null, now)
    return this.get(Number(result.lastInsertRowid))
  }

  get(id: number): Alarm | null {
    const row = this.db.prepare('SELECT * FROM alarms WHERE id = ?').get(id) as Row | undefined
    return row ? toAlarm(row) : null
  }

  list(limit: number, openOnly: boolean): Alarm[] {
    const where = openOnly ? `WHERE ${OPEN}` : ''
    return (this.db.prepare(`SELECT * FROM alarms ${where} ORDER BY raised_at DESC, id DESC LIMIT ?`).all(limit) as Row[]).map(toAlarm)
  }

  attachPassage(id: number, passageId: number): Alarm | null {
    this.db.prepare('UPDATE alarms SET passage_id = ? WHERE id = ? AND passage_id IS NULL').run(passageId, id)
    return this.get(id)
  }

  /** Resolves the unresolved alarm with this dedup key (its device is back); null when there is none. */
  resolve(dedupKey: string, now: number): Alarm | null {
    const row = this.db.prepare(`SELECT id FROM alarms WHERE dedup_key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1`).get(dedupKey) as { id: number } | undefined
    if (!row) return null
    this.db.prepare('UPDATE alarms SET resolved_at = ? WHERE id = ?').run(now, row.id)
    return this.get(row.id)
  }

  /** Acknowledges once; a second acknowledgement keeps the first one's time, person and note. */
  acknowledge(id: number, by: string, note: string, now: number): Alarm | null {
    this.db.prepare('UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE id = ? AND acknowledged_at IS NULL').run(now, by, note, id)
    return this.get(id)
  }
}

/** The alarm service's storage: the alarms table, and what it asks of the passages. */
export function alarmStore(alarms: AlarmsStore, passages: Passages): AlarmStore {
  return {
    refusalsSince: (plate, since) => passages.refusalsSince(plate, since),
    insideSince: (enteredBefore) => passages.insideSince(enteredBefore),
    raise: (alarm, now, once) => alarms.raise(alarm, now, once),
    get: (id) => alarms.get(id),
    list: (limit, openOnly) => alarms.list(limit, openOnly),
    acknowledge: (id, by, note, now) => alarms.acknowledge(id, by, note, now),
    resolve: (dedupKey, now) => alarms.resolve(dedupKey, now),
    attachPassage: (id, passageId) => alarms.attachPassage(id, passageId)
  }
}

function toAlarm(row: Row): Alarm {
  return {
    id: row.id,
    kind: row.kind,
    laneId: row.lane_id,
    plate: row.plate,
    message: row.message,
    raisedAt: isoOf(row.raised_at),
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    note: row.note,
    warningType: row.warning_type,
    passageId: row.passage_id,
    ...(row.kind === 'device_offline' ? { resolvedAt: isoOrNull(row.resolved_at) } : {})
  }
}
