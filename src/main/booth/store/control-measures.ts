import type { ControlMeasures, ControlMeasuresView } from '@shared/contract'
import { controlMeasuresView, type ControlMeasuresRow } from '../../core/policy/repo'
import type { Db } from './db'

/** The one set of control measures in force (B7.18–B7.22), as the admin last set it. */
export class ControlMeasuresStore {
  constructor(private readonly db: Db) {}

  get(): ControlMeasuresView {
    return controlMeasuresView(this.db.prepare('SELECT * FROM control_measures WHERE id = 1').get() as ControlMeasuresRow | undefined)
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
