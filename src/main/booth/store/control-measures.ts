import type { ControlMeasures, ControlMeasuresView } from '@shared/contract'
import type { Db } from './db'
import { isoOf } from '../../core/time'

interface Row {
  level: ControlMeasures['level']
  area: ControlMeasures['area']
  strategy: ControlMeasures['strategy']
  enterprise_type: ControlMeasures['enterpriseType']
  measures: ControlMeasures['measures']
  note: string
  updated_at: number
  updated_by: string
}

const NO_CONTROL: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '' }

/** The one set of control measures in force (B7.18–B7.22), as the admin last set it. */
export class ControlMeasuresStore {
  constructor(private readonly db: Db) {}

  get(): ControlMeasuresView {
    const row = this.db.prepare('SELECT * FROM control_measures WHERE id = 1').get() as Row | undefined
    if (!row) return { ...NO_CONTROL, updatedAt: null, updatedBy: null }
    return {
      level: row.level,
      area: row.area,
      strategy: row.strategy,
      enterpriseType: row.enterprise_type,
      measures: row.measures,
      note: row.note,
      updatedAt: isoOf(row.updated_at),
      updatedBy: row.updated_by
    }
  }

  set(measures: ControlMeasures, by: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO control_measures (id, level, area, strategy, enterprise_type, measures, note, updated_at, updated_by)
         VALUES (1, @level, @area, @strategy, @enterpriseType, @measures, @note, @now, @by)
         ON CONFLICT (id) DO UPDATE SET level = excluded.level, area = excluded.area, strategy = excluded.strategy,
           enterprise_type = excluded.enterprise_type, measures = excluded.measures, note = excluded.note,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`
      )
      .run({ ...measures, now, by })
  }
}
