/**
 * A 100,000-row in-plant vehicle ledger (the production schema, each row with its uploaded outbox row, as after a
 * year of use) in a temp SQLite file: a page of 50 by plate prefix with its total, as `innerVehicles.list` serves it
 * (store.ledgers.entityPage: the prefix as a range on the plate index, the upload state per row from its outbox
 * chain), beside a baseline from the same run: a page of 50 rows fetched by primary key.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../src/main/booth/store'
import { heading, report, sampleMicros, summarize } from './support'

const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 100_000)
const PAGE = 50
const SAMPLES = 500
const provinces = ['豫A', '豫K', '豫B', '晋A', '冀D', '鲁R']

const dir = mkdtempSync(join(tmpdir(), 'gate-bench-ledgers-'))
const store = openStore(dir)
try {
  heading(`in-plant vehicle ledger of ${ROWS.toLocaleString('en')} rows, pages of ${PAGE}`)
  const now = Date.now()
  const insertVehicle = store.db.prepare(
    `INSERT INTO inner_vehicles (license, license_color, vehicle_type, vin, use_character, engine_no, onwer, address, model, register_date, issue_date,
                                 emission_standard, car_status, created_at, updated_at, updated_by)
     VALUES (?, '1', 'H11', ?, 'A', ?, '许昌示范钢铁有限公司', '许昌市', '解放J6P', '2021-03-15', '2021-03-16', '6', ?, ?, ?, 'bench')`
  )
  const insertUpload = store.db.prepare(
    `INSERT INTO outbox (kind, idem_key, chain, payload, state, next_attempt_at, created_at, done_at) VALUES ('shareInnerVehInfo', ?, ?, '{}', 'done', ?, ?, ?)`
  )
  const loadStart = process.hrtime.bigint()
  store.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const plate = `${provinces[i % provinces.length]}${String((i * 7919) % 100_000).padStart(5, '0')}`
      const id = Number(insertVehicle.run(plate, `VIN${i}`, `E${i}`, i % 50 === 0 ? '2' : '1', now, now).lastInsertRowid)
      insertUpload.run(`innerVehicles:${id}:${i}`, `innerVehicles:${id}`, now, now, now)
    }
  })
  console.log(`loaded in ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1)} s`)

  const byPrimaryKey = store.db.prepare(`SELECT * FROM inner_vehicles WHERE id > ? ORDER BY id LIMIT ${PAGE}`)
  const baseline = summarize(await sampleMicros(SAMPLES, (i) => byPrimaryKey.all((i * 997) % (ROWS - PAGE))))
  report(`baseline: a page of ${PAGE} by primary key`, baseline)

  // [label, the prefix typed for sample i, the page offset]
  const cases: [string, (i: number) => string, (i: number) => number][] = [
    ['province + letter (豫A…, ~1/6 of rows), page 1', (i) => provinces[i % provinces.length]!, () => 0],
    ['province + letter, page 20', (i) => provinces[i % provinces.length]!, () => 19 * PAGE],
    ['3 digits typed (豫A123…, ~17 rows)', (i) => `${provinces[i % provinces.length]}${String(i % 1000).padStart(3, '0')}`, () => 0],
    ['full plate (1 row)', (i) => `${provinces[i % provinces.length]}${String((i * 7919) % 100_000).padStart(5, '0')}`, () => 0],
    ['no prefix (the whole ledger), page 1', () => '', () => 0]
  ]
  for (const [label, prefix, offset] of cases) {
    const page = (i: number) => store.ledgers.entityPage('innerVehicles', { plate: prefix(i) || undefined, offset: offset(i), limit: PAGE })
    const first = page(0)
    const summary = summarize(await sampleMicros(SAMPLES, page))
    report(`innerVehicles.list ${label}`, summary, baseline)
    console.log(`${''.padEnd(4)}(sample 0: ${first.rows.length} rows of total ${first.total})`)
  }
  for (const [label, plate] of [['豫A… filtered by upload state', provinces[0]], ['the whole ledger filtered by upload state', undefined]] as const) {
    const filtered = () => store.ledgers.entityPage('innerVehicles', { plate, upload: 'uploaded', offset: 0, limit: PAGE })
    report(`innerVehicles.list ${label}`, summarize(await sampleMicros(SAMPLES, filtered)), baseline)
    console.log(`${''.padEnd(4)}(total ${filtered().total})`)
  }
} finally {
  store.close()
  rmSync(dir, { recursive: true, force: true })
}
