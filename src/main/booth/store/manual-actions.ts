import type { Db } from './db'
import { isoOf } from '../../core/time'

export type ManualActionKind = 'release' | 'refuse' | 'correct_plate' | 'set_control_measures' | 'list_add' | 'list_remove' | 'recapture' | 'barrier_open' | 'barrier_close'

export interface NewManualAction {
  action: ManualActionKind
  actorId: string | null
  /** The logged-in user's name, or '未登录' when nobody was logged in. */
  actorName: string
  laneId?: string | null
  passageId?: number | null
  plate?: string | null
  reason?: string | null
  note?: string
  /** A release of a truck the platform marked controlled. */
  violation?: boolean
  details?: unknown
}

export interface ManualAction extends Required<Omit<NewManualAction, 'details'>> {
  id: number
  at: string
  details: unknown
}

interface Row {
  id: number
  at: number
  actor_id: string | null
  actor_name: string
  action: ManualActionKind
  lane_id: string | null
  passage_id: number | null
  plate: string | null
  reason: string | null
  note: string
  violation: number
  details: string | null
}

/** The audit of every manual decision: append-only (triggers refuse UPDATE and DELETE). */
export class ManualActions {
  constructor(private readonly db: Db) {}

  add(entry: NewManualAction, now: number): number {
    const result = this.db
      .prepare(
        `INSERT INTO manual_actions (at, actor_id, actor_name, action, lane_id, passage_id, plate, reason, note, violation, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        now,
        entry.actorId,
        entry.actorName,
        entry.action,
        entry.laneId ?? null,
        entry.passageId ?? null,
        entry.plate ?? null,
        entry.reason ?? null,
        entry.note ?? '',
        entry.violation ? 1 : 0,
        entry.details === undefined ? null : JSON.stringify(entry.details)
      )
    return Number(result.lastInsertRowid)
  }

  latest(limit: number): ManualAction[] {
    const rows = this.db.prepare('SELECT * FROM manual_actions ORDER BY id DESC LIMIT ?').all(limit) as Row[]
    return rows.map((row) => ({
      id: row.id,
      at: isoOf(row.at),
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      laneId: row.lane_id,
      passageId: row.passage_id,
      plate: row.plate,
      reason: row.reason,
      note: row.note,
      violation: row.violation === 1,
      details: row.details === null ? null : (JSON.parse(row.details) as unknown)
    }))
  }
}
