import type { LaneSettings, LaneSettingsView } from '@shared/contract'
import type { Db } from './db'
import { isoOf } from '../../core/time'

interface Row {
  lane_id: string
  allowed_colours: string
  confirm_each: 0 | 1
  goods_before_exit: 0 | 1
  updated_at: number
  updated_by: string
}

/** The admin's per-lane settings (allowed colours, 二次确认, goods before exit); a lane never set has the defaults. */
export class LaneSettingsStore {
  constructor(private readonly db: Db) {}

  get(laneId: string): LaneSettingsView {
    const row = this.db.prepare('SELECT * FROM lane_settings WHERE lane_id = ?').get(laneId) as Row | undefined
    if (!row) return { laneId, allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: false, updatedAt: null, updatedBy: null }
    return {
      laneId,
      allowedColours: JSON.parse(row.allowed_colours) as string[],
      confirmEveryOpening: row.confirm_each === 1,
      goodsBeforeExit: row.goods_before_exit === 1,
      updatedAt: isoOf(row.updated_at),
      updatedBy: row.updated_by
    }
  }

  set(settings: LaneSettings, by: string, now: number): LaneSettingsView {
    this.db
      .prepare(
        `INSERT INTO lane_settings (lane_id, allowed_colours, confirm_each, goods_before_exit, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (lane_id) DO UPDATE SET allowed_colours = excluded.allowed_colours, confirm_each = excluded.confirm_each,
           goods_before_exit = excluded.goods_before_exit, updated_at = excluded.updated_at, updated_by = excluded.updated_by`
      )
      .run(settings.laneId, JSON.stringify(settings.allowedColours), settings.confirmEveryOpening ? 1 : 0, settings.goodsBeforeExit ? 1 : 0, now, by)
    return this.get(settings.laneId)
  }

  /** Back to the defaults (the plant removed its settings of this lane). */
  reset(laneId: string): void {
    this.db.prepare('DELETE FROM lane_settings WHERE lane_id = ?').run(laneId)
  }
}
