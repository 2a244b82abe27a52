import type { CountQuery, CountRow, StatisticsRepo } from '../../core/reports/repo'
import type { Pool } from './pool'

/**
 * Spec 4.2.12's counts with the booth's definitions (booth/store/statistics.ts, docs/operations.md), over the plant's
 * rollup, grouped by `groupBy`. At the plant a lane is named with its gate (`01/in1`): lane ids repeat across gates.
 * Parameters: local prefixes (text[]), from, to, lane (`01/in1`) or gate (`01`) filter.
 */
function countsSql(group: 'lane' | 'gate' | 'plant'): string {
  const passed = (condition = 'true') => `sum(CASE WHEN bgzt = '1' AND ${condition} THEN passages ELSE 0 END)::int`
  const key = { lane: `gate_code || '/' || lane_id`, gate: 'gate_code', plant: `''` }[group]
  return `
  WITH classified AS (
    SELECT *, (cardinality($1::text[]) > 0 AND NOT (plate_prefix = ANY($1)) AND NOT (substr(plate_prefix, 1, 1) = ANY($1))) AS nonlocal
      FROM passage_daily WHERE day BETWEEN $2 AND $3 AND ($4::text IS NULL OR gate_code || '/' || lane_id = $4 OR gate_code = $4))
  SELECT day AS date, ${key} AS "laneId",
         ${passed()} AS "vehTotal",
         ${passed("direction = 'in'")} AS "enterVehTotal",
         ${passed("direction = 'out'")} AS "exitVehTotal",
         ${passed("is_control = '1'")} AS "violationTotal",
         sum(CASE WHEN bgzt <> '1' AND is_control = '1' THEN passages ELSE 0 END)::int AS "controlTotal",
         ${passed("nonlocal AND direction = 'in'")} AS "otherVehEnterTotal",
         ${passed("nonlocal AND direction = 'out'")} AS "otherVehExitTotal",
         ${passed("nonlocal AND source = 'manual'")} AS "otherAddVehTotal",
         ${passed("emission_stage = '3' AND direction = 'in'")} AS "standard3EnterTotal",
         ${passed("emission_stage = '3' AND direction = 'out'")} AS "standard3ExitTotal",
         ${passed("emission_stage = '4' AND direction = 'in'")} AS "standard4EnterTotal",
         ${passed("emission_stage = '4' AND direction = 'out'")} AS "standard4ExitTotal",
         ${passed("is_control = '1' AND substr(reason_code, 1, 7) = 'manual_'")} AS "violationHandleTotal"
    FROM classified
   GROUP BY 1, 2 ORDER BY 1, 2`
}

/** Counts per day and lane (`gate/lane`), per gate, or for the whole plant. */
export class PgStatistics implements StatisticsRepo {
  constructor(private readonly pool: Pool) {}

  async countRows(query: CountQuery, group: 'lane' | 'gate' | 'plant' = 'lane'): Promise<CountRow[]> {
    const { rows } = await this.pool.query<CountRow>(countsSql(group), [query.localPlatePrefixes, query.from, query.to, query.laneId ?? null])
    return rows
  }
}
