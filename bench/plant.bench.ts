/**
 * The plant on PostgreSQL (a throw-away cluster: initdb + pg_ctl in a temp folder): passages per second accepted
 * from three booths over the HTTPS uplink (credential check, JSON, one transaction per batch with its outbox rows and
 * rollups) beside a bare INSERT of the same rows into a table without index, trigger or outbox; then, over 1,000,000
 * passages across 4 gates and a year, a day's statistics per gate, a month's for the plant, a plate search by any
 * part, a gate's journal page, a day's visits and the in-plant presence (target ≤ 50 ms each).
 */
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { enrolAtPlant, PlantLink } from '../src/main/booth/plant-link/client'
import { openPlantStore } from '../src/main/plant/store'
import { plantCertificate } from '../src/main/plant/tls'
import { uplinkHandler, type UplinkHandlerOptions } from '../src/main/plant/uplink/server'
import { listen } from '../src/main/core/http/body'
import type { PlantCertificate } from '../src/main/plant/tls'
import { startPgCluster } from '../test/integration/pg-cluster'
import { passageUp } from '../test/integration/plant-support'
import { openStore } from '../src/main/booth/store'
import { PlantUplinkPlatform } from '../src/main/booth/plant-link/uplink-platform'
import { PlatformClient } from '../src/main/core/platform'
import { SyncWorker, type OutboxQueue, type SyncPlatform, type UploadPhotos } from '../src/main/core/sync'
import { DEMO_PLATFORM } from '../test/integration/booth'
import { startProcess, stopProcess, tempDir } from '../test/integration/support'
import { heading, report, sampleMicros, summarize } from './support'

/** The booths' uplink alone on its own HTTPS port (the plant without its city client, sync worker and workspace). */
async function startUplink(options: UplinkHandlerOptions & { certificate: PlantCertificate; host: string; port: number }) {
  const handler = uplinkHandler(options)
  const server = createServer({ key: options.certificate.key, cert: options.certificate.cert }, (request, response) => void handler(request, response))
  const port = await listen(server as unknown as import('node:http').Server, options.host, options.port)
  return {
    url: `https://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

const PASSAGES = Number(process.env.BENCH_PLANT_PASSAGES ?? 1_000_000)
const UPLINK_PASSAGES = 3 * 2_000
const BATCH = 20
/** Records per gate drained in the per-gate order runs. */
const ORDER_RECORDS = Number(process.env.BENCH_PLANT_ORDER_RECORDS ?? 600)
const ORDER_CONCURRENCY = 4

/** Drains an outbox through a sync worker; returns records/s over the drain. */
async function drainRate(outbox: OutboxQueue, photos: UploadPhotos, platform: SyncPlatform, records: number): Promise<number> {
  const worker = new SyncWorker({
    outbox, photos, platform, requestTimeoutMs: 5_000, intervalMs: 50, maxBackoffMs: 1_000, concurrency: ORDER_CONCURRENCY, compactAfterDays: 30,
    validate: () => [], onPassageChanged: () => undefined, onStatus: () => undefined
  })
  const start = process.hrtime.bigint()
  await worker.start()
  for (;;) {
    await worker.idle()
    if ((await outbox.counts()).pending === 0) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await worker.stop()
  return records / seconds
}

const cluster = await startPgCluster()
try {
  const url = cluster.createDatabase('plant_bench')
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-plant-'))
  const store = await openPlantStore({ connectionString: url, photosDir: join(dir, 'photos') })
  const raw = new pg.Pool({ connectionString: url, max: 4 })
  try {
    heading(`plant intake: ${UPLINK_PASSAGES.toLocaleString('en')} passages from three booths in batches of ${BATCH}`)
    const certificate = await plantCertificate(join(dir, 'tls'))
    const uplink = await startUplink({ store, certificate, photosDir: join(dir, 'photos'), host: '127.0.0.1', port: 0, clock: Date.now, log: () => undefined })
    const links = await Promise.all(
      ['01', '02', '03'].map(async (gate) => {
        const code = await store.booths.createCode(gate, 'bench', Date.now())
        return new PlantLink(await enrolAtPlant({ url: uplink.url, fingerprint: certificate.fingerprint, code, boothId: `booth-${gate}` }))
      })
    )
    const t0 = Date.UTC(2026, 0, 1)
    const perBooth = UPLINK_PASSAGES / 3
    const rowsOf = (g: number) =>
      Array.from({ length: perBooth }, (_, i) => passageUp({ gateCode: `0${g + 1}`, direction: i % 2 ? 'out' : 'in', plate: `豫A${String(i % 90000).padStart(5, '0')}`, at: t0 + i * 1000 }))
    const batches = [0, 1, 2].map(rowsOf)
    let start = process.hrtime.bigint()
    await Promise.all(
      links.map(async (link, g) => {
        for (let i = 0; i < perBooth; i += BATCH) await link.sendPassages(batches[g]!.slice(i, i + BATCH))
      })
    )
    const uplinkSeconds = Number(process.hrtime.bigint() - start) / 1e9
    await uplink.close()

    await raw.query('CREATE TABLE bare (LIKE passages INCLUDING DEFAULTS)')
    await raw.query('ALTER TABLE bare ALTER COLUMN id DROP IDENTITY IF EXISTS')
    start = process.hrtime.bigint()
    await Promise.all(
      [0, 1, 2].map(async (g) => {
        const client = await raw.connect()
        try {
          const rows = batches[g]!
          for (let i = 0; i < perBooth; i += BATCH) {
            await client.query('BEGIN')
            for (const p of rows.slice(i, i + BATCH)) {
              await client.query(
                `INSERT INTO bare (id, lsh, booth_id, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
                   reason_text, decided_offline, verdict, bgzt, source, received_at) VALUES ($1, $2, 'b', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $8)`,
                [g * perBooth + i, p.lsh, p.laneId, p.gateCode, p.direction, p.plate, p.plateColour, p.recognizedAt, p.tgsjq, p.tgsjz, p.decision, p.reasonCode, p.reasonText, false, JSON.stringify(p.verdict), p.bgzt, p.source]
              )
            }
            await client.query('COMMIT')
          }
        } finally {
          client.release()
        }
      })
    )
    const bareSeconds = Number(process.hrtime.bigint() - start) / 1e9
    console.log(`${'accepted through the uplink (HTTPS, outbox, rollups)'.padEnd(56)} ${(UPLINK_PASSAGES / uplinkSeconds).toFixed(0)} passages/s`)
    console.log(`${'bare INSERT, same rows and batches, same PostgreSQL'.padEnd(56)} ${(UPLINK_PASSAGES / bareSeconds).toFixed(0)} passages/s`)

    heading(`enterprise reads over ${PASSAGES.toLocaleString('en')} passages, 4 gates, 365 days`)
    // Loaded in one statement with the row triggers off, then the rollup, the latest passage per plate and the plates built
    // from it in one pass each (what the triggers would have kept, row by row).
    start = process.hrtime.bigint()
    await raw.query('ALTER TABLE passages DISABLE TRIGGER USER')
    const year = Date.UTC(2025, 0, 1) - 8 * 3600_000
    await raw.query(
      `INSERT INTO passages (lsh, booth_id, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
         reason_text, decided_offline, verdict, bgzt, source, received_at)
       SELECT '4110020001' || gate || CASE WHEN dir = 'in' THEN 'A' ELSE 'B' END || to_char(ts, 'YYMMDDHH24MISS') || '-' || n,
              'booth-' || gate, dir || '1', gate, dir, plate, '2', at, to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'YYYY-MM-DD HH24:MI:SS'),
              'allow', 'platform_allow', '', false,
              jsonb_build_object('isControl', '0', 'emissionStandard', (ARRAY['6','6','5','4','3'])[1 + n % 5]), '1', 'lpr', at
         FROM (SELECT n, '0' || (1 + n % 4) AS gate, CASE WHEN n % 2 = 0 THEN 'in' ELSE 'out' END AS dir,
                      (ARRAY['豫K','豫K','豫A','晋A','冀D'])[1 + n % 5] || lpad(((n / 2) % 40000)::text, 5, '0') AS plate,
                      $1::bigint + (n::bigint * 365 * 86400000 / $2) AS at,
                      to_timestamp(($1::bigint + (n::bigint * 365 * 86400000 / $2)) / 1000.0) AT TIME ZONE 'Asia/Shanghai' AS ts
                 FROM generate_series(0, $2 - 1) AS n) s`,
      [year, PASSAGES]
    )
    await raw.query('ALTER TABLE passages ENABLE TRIGGER USER')
    await raw.query(
      `INSERT INTO passage_daily
       SELECT substr(tgsjq, 1, 10), gate_code, lane_id, direction, substr(plate, 1, 2), COALESCE(verdict ->> 'emissionStandard', ''),
              COALESCE(verdict ->> 'isControl', ''), reason_code, bgzt, source, count(*)
         FROM passages GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       ON CONFLICT (day, gate_code, lane_id, direction, plate_prefix, emission_stage, is_control, reason_code, bgzt, source)
       DO UPDATE SET passages = passage_daily.passages + excluded.passages`
    )
    await raw.query(
      `INSERT INTO vehicle_last
       SELECT DISTINCT ON (plate) plate, plate_colour, direction, gate_code, lane_id, lsh, recognized_at FROM passages WHERE bgzt = '1'
        ORDER BY plate, recognized_at DESC
       ON CONFLICT (plate) DO UPDATE SET direction = excluded.direction, gate_code = excluded.gate_code, lane_id = excluded.lane_id,
         lsh = excluded.lsh, recognized_at = excluded.recognized_at WHERE vehicle_last.recognized_at < excluded.recognized_at`
    )
    await raw.query(
      `INSERT INTO plates SELECT plate, count(*) FROM passages GROUP BY plate
       ON CONFLICT (plate) DO UPDATE SET passages = plates.passages + excluded.passages`
    )
    await raw.query('ANALYZE')
    console.log(`loaded ${PASSAGES.toLocaleString('en')} passages, rollup and presence in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`)

    const day = '2025-06-15'
    const dayStart = Date.UTC(2025, 5, 15) - 8 * 3600_000
    const ms = (samples: number[]) => summarize(samples.map((us) => us / 1000))
    const line = (name: string, samples: number[]) => report(name, ms(samples), undefined, 'ms')
    line('a day\'s statistics per gate', await sampleMicros(50, () => store.repos.statistics.countRows({ from: day, to: day, localPlatePrefixes: ['豫K'] }, 'gate'), 5))
    line('a month\'s statistics for the plant', await sampleMicros(50, () => store.repos.statistics.countRows({ from: '2025-06-01', to: '2025-06-30', localPlatePrefixes: ['豫K'] }, 'plant'), 5))
    line('plate search by any part (journal, 50 rows)', await sampleMicros(50, (i) => store.views.journal({ plate: String(1000 + (i % 9000)).padStart(4, '0'), limit: 50 }), 5))
    const short = ['9', '豫K', 'A1', '42', 'D0', '7']
    line('plate search, 1–2 characters (many plates)', await sampleMicros(50, (i) => store.views.journal({ plate: short[i % short.length], limit: 50 }), 5))
    line('a gate\'s journal page for a day (50 rows)', await sampleMicros(50, () => store.views.journal({ gateCode: '03', from: dayStart, to: dayStart + 86_400_000, limit: 50 }), 5))
    line('a day\'s visits across gates (200 rows)', await sampleMicros(20, () => store.views.visits({ from: dayStart, to: dayStart + 86_400_000, limit: 200 }), 3))
    line('in-plant presence (200 rows)', await sampleMicros(50, () => store.views.presence({ limit: 200 }), 5))

    heading(`per-gate order: what sending a gate's records one at a time costs (concurrency ${ORDER_CONCURRENCY}, records only)`)
    const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username], { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password }, /platform-sim listening /)
    try {
      const city = new PlatformClient({ baseUrl: `${sim.url}/ysgk`, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, password: DEMO_PLATFORM.password, requestTimeoutMs: 5_000 })
      const gates = ['01', '02', '03']
      const orderT0 = Date.UTC(2026, 5, 1)
      const gateRows = (gate: string, run: number) =>
        Array.from({ length: ORDER_RECORDS }, (_, i) => passageUp({ gateCode: gate, direction: i % 2 ? 'out' : 'in', plate: `豫B${String(i).padStart(5, '0')}`, at: orderT0 + run * 86_400_000 + i * 1000 }))
      // The plant's outbox to the city: three gates' records, as kept (one order per gate) and with the order cleared.
      for (const [run, ordered] of [[1, true], [2, false]] as const) {
        const orderUrl = cluster.createDatabase(`plant_order_${run}`)
        const orderStore = await openPlantStore({ connectionString: orderUrl, photosDir: join(dir, 'photos') })
        try {
          for (const gate of gates) await orderStore.intake.passages(`booth-${gate}`, gateRows(gate, run), Date.now())
          if (!ordered) {
            const client = new pg.Client(orderUrl)
            await client.connect()
            await client.query('UPDATE outbox SET order_key = NULL')
            await client.end()
          }
          const rate = await drainRate(orderStore.repos.outbox, orderStore.repos.photos, city, gates.length * ORDER_RECORDS)
          console.log(`${`plant → city, 3 gates, ${ordered ? 'each gate in order (as built)' : 'no order (before)'}`.padEnd(56)} ${rate.toFixed(0)} records/s`)
        } finally {
          await orderStore.close()
        }
      }
      // An edge booth's outbox to the plant over the HTTPS uplink: one gate, in order (as built) and not.
      const orderStore = await openPlantStore({ connectionString: cluster.createDatabase('plant_order_edge'), photosDir: join(dir, 'photos') })
      const orderUplink = await startUplink({ store: orderStore, certificate, photosDir: join(dir, 'photos'), host: '127.0.0.1', port: 0, clock: Date.now, log: () => undefined })
      try {
        for (const [run, ordered] of [[3, true], [4, false]] as const) {
          const code = await orderStore.booths.createCode('01', 'bench', Date.now())
          const link = new PlantLink(await enrolAtPlant({ url: orderUplink.url, fingerprint: certificate.fingerprint, code, boothId: `booth-order-${run}` }))
          const booth = openStore(tempDir('bench-plant-order'), { recordsInGateOrder: ordered })
          try {
            booth.transaction(() => {
              for (const passage of gateRows('01', run)) {
                const passageId = booth.passages.insert(passage, Date.now())
                booth.outbox.add({ kind: 'shareDrivingRecord', idemKey: passage.lsh, passageId, payload: passage.record, ...(ordered ? { orderKey: '01' } : {}) }, Date.now())
              }
            })
            const uplinkPlatform = new PlantUplinkPlatform(link, async (lsh) => {
              const id = booth.passages.idByLsh(lsh)
              return id === null ? null : booth.passages.get(id)
            })
            const rate = await drainRate(booth.repos.outbox, booth.repos.photos, uplinkPlatform, ORDER_RECORDS)
            console.log(`${`edge booth → plant, 1 gate, ${ordered ? 'in order (as built)' : 'no order (before)'}`.padEnd(56)} ${rate.toFixed(0)} records/s`)
          } finally {
            booth.close()
          }
        }
      } finally {
        await orderUplink.close()
        await orderStore.close()
      }
    } finally {
      await stopProcess(sim)
    }
  } finally {
    await raw.end()
    await store.close()
  }
} finally {
  cluster.stop()
}
