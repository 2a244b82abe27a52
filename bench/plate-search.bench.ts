/**
 * Plate search by any part of a plate over 12 months: 1,000,000 passages of 20,000 plates (a few regulars make most of
 * the traffic) in a temp SQLite file with the production schema and triggers, then `passages.list` with a plate
 * fragment and no date range — target p99 ≤ 10 ms — beside the exact-plate index lookup as the baseline, and a few
 * runs of the old way (LIKE over every passage) for the record.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../src/main/booth/store'
import { seededRandom } from '../test/integration/support'
import { heading, report, sampleMicros, summarize } from './support'

const PASSAGES = Number(process.env.BENCH_PLATE_PASSAGES ?? 1_000_000)
const PLATES = 20_000
const DAYS = 365
const LIMIT = 50
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const PROVINCES = ['豫', '豫', '豫', '豫', '晋', '冀', '鲁', '陕']

/** Deterministic pseudo-random numbers, so every run searches the same data. */
const random = seededRandom(20_261_204)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!

function plateOf(): string {
  const tail = Array.from({ length: random() < 0.1 ? 6 : 5 }, () => (random() < 0.7 ? String(Math.floor(random() * 10)) : pick(LETTERS.split('')))).join('')
  return `${pick(PROVINCES)}${pick(LETTERS.slice(0, 16).split(''))}${tail}`
}

const plates = [...new Set(Array.from({ length: PLATES * 2 }, plateOf))].slice(0, PLATES)
/** Zipf-like: plate k carries weight 1/(k+10), so the regulars of a plant pass daily and most plates a few times a year. */
const weights = plates.map((_, k) => 1 / (k + 10))
const cumulative: number[] = []
weights.reduce((sum, w, k) => (cumulative[k] = sum + w), 0)
const totalWeight = cumulative[cumulative.length - 1]!
function weightedPlate(): string {
  const x = random() * totalWeight
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return plates[lo]!
}

const dir = mkdtempSync(join(tmpdir(), 'gate-bench-plates-'))
const store = openStore(dir)
try {
  heading(`plate search over ${PASSAGES.toLocaleString('en')} passages of ${plates.length.toLocaleString('en')} plates, ${DAYS} days`)
  const start = Date.UTC(2025, 10, 1) - 8 * 3600_000
  const insert = store.db.prepare(
    `INSERT INTO passages (lsh, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
                           reason_text, decided_offline, verdict_json, bgzt, source, created_at)
     VALUES (?, 'in1', '01', 'in', ?, '1', ?, ?, ?, 'allow', 'platform_allow', '', 0, NULL, '1', 'lpr', ?)`
  )
  const loadStart = process.hrtime.bigint()
  store.transaction(() => {
    for (let i = 0; i < PASSAGES; i++) {
      const at = start + Math.floor((i / PASSAGES) * DAYS * 86_400_000)
      const beijing = new Date(at + 8 * 3600_000).toISOString()
      const stamp = `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`
      insert.run(`L${i}`, weightedPlate(), at, stamp, stamp, at)
    }
  })
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9
  const indexed = store.db.prepare('SELECT COUNT(*) FROM plates').pluck().get() as number
  const grams = store.db.prepare('SELECT COUNT(*) FROM plate_grams').pluck().get() as number
  console.log(`seeded in ${loadSeconds.toFixed(1)} s (${Math.round(PASSAGES / loadSeconds).toLocaleString('en')} passages/s, triggers included); ${indexed} plates, ${grams} grams`)

  // What a guard types: part of a plate seen at the gate (so frequent plates are searched more), 2–7 characters
  // from anywhere in it, sometimes the whole plate; plus province-and-city prefixes, the commonest fragments of all.
  const fragments = Array.from({ length: 2000 }, (_, i) => {
    const plate = i % 2 === 0 ? weightedPlate() : pick(plates)
    const chars = Array.from(plate)
    const length = 2 + Math.floor(random() * (chars.length - 1))
    const from = Math.floor(random() * (chars.length - length + 1))
    return chars.slice(from, from + length).join('')
  })
  const prefixes = ['豫A', '豫K', '晋A', '冀D', '鲁', 'A1', '88']
  const exact = store.db.prepare(`SELECT * FROM passages WHERE plate = ? ORDER BY recognized_at DESC, id DESC LIMIT ${LIMIT}`)
  const likeScan = store.db.prepare(`SELECT * FROM passages WHERE plate LIKE ? ORDER BY recognized_at DESC, id DESC LIMIT ${LIMIT}`)

  const baseline = summarize(await sampleMicros(2000, () => exact.all(weightedPlate())))
  report(`baseline: exact plate by index (${LIMIT} newest)`, baseline)
  const search = summarize(await sampleMicros(fragments.length, (i) => store.passages.list({ limit: LIMIT, plate: fragments[i]! })))
  report(`passages.list, plate fragment (2–8 chars)`, search, baseline)
  const common = summarize(await sampleMicros(700, (i) => store.passages.list({ limit: LIMIT, plate: prefixes[i % prefixes.length]! })))
  report(`passages.list, common prefix (豫A, 鲁, 88, …)`, common, baseline)
  const page500 = summarize(await sampleMicros(500, (i) => store.passages.list({ limit: 500, plate: fragments[i]! })))
  report(`passages.list, plate fragment, 500 a page`, page500, baseline)
  const rare = fragments.filter((fragment) => fragment.length >= 6)
  const before = summarize(await sampleMicros(5, (i) => likeScan.all(`%${rare[i]!}%`), 1))
  report(`before: LIKE over every passage (rare fragment)`, before, baseline)
  console.log(`target: fragment search p99 ≤ 10 ms → ${search.p99 <= 10_000 && common.p99 <= 10_000 ? 'met' : 'NOT met'}`)
} finally {
  store.close()
  rmSync(dir, { recursive: true, force: true })
}
