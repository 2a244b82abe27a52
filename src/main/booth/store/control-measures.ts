import type { ControlMeasures, ControlMeasuresView } from '@shared/contract'
import type { Db } from './db'
import { isoOf, isoOrNull } from '../../core/time'

interface Row {
  level: ControlMeasures['level']
  area: ControlMeasures['area']
  strategy: ControlMeasures['strategy']
  enterprise_type: ControlMeasures['enterpriseType']
  measures: ControlMeasures['measures']
  note: string
  starts_at: number | null
  ends_at: number | null
  updated_at: number
  updated_by: string
}

const NO_CONTROL: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '', startsAt: null, endsAt: null }

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
      startsAt: isoOrNull(row.starts_at),
      endsAt: isoOrNull(row.ends_at),
      updatedAt: isoOf(row.updated_at),
      updatedBy: row.updated_by
    }
  }

  set(measures: ControlMeasures, by: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO control_measures (id, level, area, strategy, enterprise_type, measures, note, starts_at, ends_at, updated_at, updated_by)
         VALUES (1, @level, @area, @strategy, @enterpriseType, @measures, @note, @startsAt, @endsAt, @now, @by)
         ON CONFLICT (id) DO UPDATE SET level = excluded.level, area = excluded.area, strategy = excluded.strategy,
           enterprise_type = excluded.enterprise_type, measures = excluded.measures, note = excluded.note,
           starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = excluded.updated_at, updated_by = excluded.updated_by`
      )
      .run({
        level: measures.level,
        area: measures.area,
        strategy: measures.strategy,
        enterpriseType: measures.enterpriseType,
        measures: measures.measures,
        note: measures.note,
        startsAt: measures.startsAt ? Date.parse(measures.startsAt) : null,
        endsAt: measures.endsAt ? Date.parse(measures.endsAt) : null,
        now,
        by
      })
  }
}
