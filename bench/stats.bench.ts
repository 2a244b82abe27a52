/**
 * Statistics at 12 months of data: 1,000,000 passages over 365 days in a temp SQLite file (the production schema,
 * triggers included), then a day's and a month's spec 4.2.12 statistics, against two baselines over the same range:
 * a plain indexed COUNT(*) and the same statistics computed straight from the passages without the rollup.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Statistics } from '../src/main/core/reports'
import { openStore, passagesAsRollup, StatisticsTable } from '../src/main/booth/store'
import { heading, report, sampleMicros, summarize } from './support'

const PASSAGES = Number(process.env.BENCH_STATS_PASSAGES ?? 1_000_000)
const DAYS = 365
const lanes = [
  { id: 'in1', gateCode: '01', direction: 'in' },
  { id: 'out1', gateCode: '02', direction: 'out' },
  { id: 'in2', gateCode: '03', direction: 'in' },
  { id: 'out2', gateCode: '04', direction: 'out' }
] as const
const prefixes = ['豫K', '豫K', '豫K', '豫A', '晋A', '冀D']
const stages = ['6', '6', '5', '4', '3']

const dir = mkdtempSync(join(tmpdir(), 'gate-bench-stats-'))
const store = openStore(dir)
try {
  heading(`statistics over ${PASSAGES.toLocaleString('en')} passages, ${DAYS} days, ${lanes.length} lanes`)
  const start = Date.UTC(2025, 10, 1) - 8 * 3600_000
  const insert = store.db.prepare(
    `INSERT INTO passages (lsh, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
                           reason_text, decided_offline, verdict_json, bgzt, source, created_at)
     VALUES (?, ?, ?, ?, ?, '1', ?, ?, ?, ?, ?, '', 0, ?, ?, ?, ?)`
  )
  const loadStart = process.hrtime.bigint()
  store.transaction(() => {
    for (let i = 0; i < PASSAGES; i++) {
      const at = start + Math.floor((i / PASSAGES) * DAYS * 86_400_000)
      const beijing = new Date(at + 8 * 3600_000).toISOString()
      const stamp = `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`
      const lane = lanes[i % lanes.length]!
      const controlled = i % 97 === 0
      const passed = !controlled || i % 3 === 0
      const verdict = JSON.stringify({ isControl: controlled ? '1' : '0', controlReason: '', emissionStandard: stages[i % stages.length], fuelType: 'B' })
      insert.run(
        `L${i}`,
        lane.id,
        lane.gateCode,
        lane.direction,
        `${prefixes[i % prefixes.length]}${String(i % 100_000).padStart(5, '0')}`,
        at,
        stamp,
        stamp,
        passed ? 'allow' : 'refuse',
        controlled ? (passed ? 'manual_release' : 'platform_control') : 'platform_allow',
        verdict,
        passed ? '1' : '0',
        i % 11 === 0 ? 'manual' : 'lpr',
        at
      )
    }
  })
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9
  const rollupRows = store.db.prepare('SELECT COUNT(*) FROM passage_daily').pluck().get() as number
  console.log(`loaded in ${loadSeconds.toFixed(1)} s (${Math.round(PASSAGES / loadSeconds).toLocaleString('en')} passages/s with the rollup trigger); ${rollupRows} rollup rows`)

  const localPlatePrefixes = ['豫K']
  const statistics = new Statistics(store.repos.statistics, { localPlatePrefixes, lanes })
  const table = new StatisticsTable(store.db)
  const countRange = store.db.prepare('SELECT COUNT(*) FROM passages WHERE recognized_at >= ? AND recognized_at < ?').pluck()
  const dayOf = (offset: number) => new Date(start + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10)
  const instantOf = (offset: number) => start + offset * 86_400_000

  // [label, days, samples with the rollup, samples without it (slow: a few are enough)]
  for (const [label, days, samples, directSamples] of [
    ['a day', 1, 300, 20],
    ['a month', 30, 100, 5],
    ['12 months', 365, 20, 2]
  ] as const) {
    const firstDay = (i: number) => (i * 7) % (DAYS - days + 1)
    const baseline = summarize(await sampleMicros(samples, (i) => countRange.get(instantOf(firstDay(i)), instantOf(firstDay(i) + days))))
    report(`baseline: COUNT(*) over ${label} (indexed)`, baseline)
    const fromPassages = summarize(
      await sampleMicros(directSamples, (i) => {
        // The same definitions over the passages of the range, found through the recognized_at index.
        const rows = passagesAsRollup(`recognized_at >= ${instantOf(firstDay(i))} AND recognized_at < ${instantOf(firstDay(i) + days)}`)
        return table.countRows({ from: dayOf(firstDay(i)), to: dayOf(firstDay(i) + days - 1), localPlatePrefixes }, rows)
      }, 1)
    )
    report(`${label} from the passages (no rollup)`, fromPassages, baseline)
    const rolled = summarize(await sampleMicros(samples, (i) => statistics.daily({ from: dayOf(firstDay(i)), to: dayOf(firstDay(i) + days - 1) })))
    report(`${label}: stats.daily (rollup)`, rolled, baseline)
  }
} finally {
  store.close()
  rmSync(dir, { recursive: true, force: true })
}
