import type { CountQuery, CountRow } from '../../core/reports/repo'
import type { Db } from './db'

/**
 * The definitions of spec 4.2.12's counts over rows shaped like passage_daily (docs/operations.md):
 * a passage counts as traffic only if the arm went up (bgzt '1'); a controlled truck (isControl '1') that passed is
 * a violation, one that did not pass was controlled and turned back (管控劝返); a violation is handled when a guard
 * recorded a manual decision for it (reason code `manual_*`, Lane issue); 外地 is a plate whose prefix is not in
 * the local list (nothing is 外地 when the list is empty); 外地补充 is a 外地 passage entered by hand (补录) rather
 * than read by the camera; 国三/国四 is the verdict's emissionStandard (B7.6 '3' / '4').
 * `rows` is a table or subquery with the passage_daily columns; parameters: the local prefixes as a JSON array, from,
 * to, laneId (twice). One row per day and lane comes back.
 */
export function countsSql(rows: string): string {
  const passed = (condition = 'true') => `SUM(CASE WHEN bgzt = '1' AND ${condition} THEN passages ELSE 0 END)`
  return `
  WITH locals AS (SELECT value AS prefix FROM json_each(?)),
  classified AS (
    SELECT *, ((SELECT COUNT(*) FROM locals) > 0
               AND plate_prefix NOT IN (SELECT prefix FROM locals)
               AND substr(plate_prefix, 1, 1) NOT IN (SELECT prefix FROM locals)) AS nonlocal
      FROM ${rows} WHERE day BETWEEN ? AND ? AND (? IS NULL OR lane_id = ?))
  SELECT day AS date, lane_id AS laneId,
         ${passed()} AS vehTotal,
         ${passed("direction = 'in'")} AS enterVehTotal,
         ${passed("direction = 'out'")} AS exitVehTotal,
         ${passed("is_control = '1'")} AS violationTotal,
         SUM(CASE WHEN bgzt != '1' AND is_control = '1' THEN passages ELSE 0 END) AS controlTotal,
         ${passed("nonlocal AND direction = 'in'")} AS otherVehEnterTotal,
         ${passed("nonlocal AND direction = 'out'")} AS otherVehExitTotal,
         ${passed("nonlocal AND source = 'manual'")} AS otherAddVehTotal,
         ${passed("emission_stage = '3' AND direction = 'in'")} AS standard3EnterTotal,
         ${passed("emission_stage = '3' AND direction = 'out'")} AS standard3ExitTotal,
         ${passed("emission_stage = '4' AND direction = 'in'")} AS standard4EnterTotal,
         ${passed("emission_stage = '4' AND direction = 'out'")} AS standard4ExitTotal,
         ${passed("is_control = '1' AND substr(reason_code, 1, 7) = 'manual_'")} AS violationHandleTotal
    FROM classified
   GROUP BY day, lane_id`
}

/** The passages themselves in the rollup's shape (what the trigger adds up), for checks and the benchmark. */
export const passagesAsRollup = (where = 'true'): string => `(
  SELECT substr(tgsjq, 1, 10) AS day, lane_id, direction, substr(plate, 1, 2) AS plate_prefix,
         COALESCE(json_extract(verdict_json, '$.emissionStandard'), '') AS emission_stage,
         COALESCE(json_extract(verdict_json, '$.isControl'), '') AS is_control, reason_code, bgzt, source, 1 AS passages
    FROM passages WHERE ${where})`

/** Spec 4.2.12 counts from the passage_daily rollup. */
export class StatisticsTable {
  constructor(private readonly db: Db) {}

  /** Counts per day and lane, from the rollup (or, for comparison, from `rows` such as passagesAsRollup()). */
  countRows(query: CountQuery, rows = 'passage_daily'): CountRow[] {
    const { from, to, laneId } = query
    return this.db.prepare(countsSql(rows)).all(JSON.stringify(query.localPlatePrefixes), from, to, laneId ?? null, laneId ?? null) as CountRow[]
  }
}
