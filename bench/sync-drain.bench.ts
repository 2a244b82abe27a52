/**
 * Drain rate of the sync worker: a 7-day backlog of passages with two ~200 KB 1920×1080 photos each, recorded while
 * the platform was unreachable, then drained against the platform simulator in its own process over loopback.
 * Targets (issue 20): ≥ 2,000 records/s, ≥ 200 photos/s, the backlog drained in ≤ 5 min, the bench (seeding
 * included) in ≤ 10 min.
 *
 *   npm run bench -- sync-drain                          (20,000 passages, 40,000 photos: ~8 GB of photo files)
 *   BENCH_SYNC_PASSAGES=2000 npm run bench -- sync-drain (a quicker run)
 *
 * Baseline, same run: the same bytes (each record's JSON envelope; each photo's multipart body with the file and its
 * base64) POSTed to the same simulator by a minimal client — node:http, kept-alive connections, the same number of
 * calls in flight, no outbox —, so the booth's own cost per record and per photo shows beside it. Every photo file is
 * distinct (a camera-like JPEG with its number in a comment segment; see recordBacklog for how it is seeded); the data
 * folder is removed at the end. Records/s are over the records' window (first record to last), photos/s over the photos'
 * own (first photo to last), since records go ahead of photos (docs/sync.md); the drain time runs from the worker's
 * start (crash recovery and the photo sweep included) to the last upload accepted.
 */
import http from 'node:http'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { PlatformUnavailableError } from '../src/main/core/platform'
import sharp from 'sharp'
import { acceptedRequests, nthPlate, plateRead, startBooth, type Booth } from '../test/integration/booth'
import { startProcess, stopProcess, tempDir } from '../test/integration/support'
import { demoConfig, DEMO_PLATFORM } from '../src/main/core/config'
import { PassageRecorder } from '../src/main/booth/lane/recorder'
import type { PassOutcome } from '../src/main/booth/lane/machine'
import { DEFAULT_WIRE, PATHS, requestBody } from '../src/main/core/platform/wire'
import { heading } from './support'

const PASSAGES = Number(process.env.BENCH_SYNC_PASSAGES ?? 20_000)
/**
 * Passages whose records, and whose photos, the bare client sends for the baseline (its rates are steady well before
 * that); the photo bodies are built before the clock starts and held in memory, ~470 KB each.
 */
const BASELINE = { recordPassages: Math.min(PASSAGES, 2000), photoPassages: Math.min(PASSAGES, 300) }
/** What a gate camera sends: 1920×1080, ~200 KB (noise, slightly blurred, quality 75). */
const PHOTO = await sharp(
  await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#6b7d8f', noise: { type: 'gaussian', mean: 128, sigma: 26 } } }).png().toBuffer()
)
  .blur(1.2)
  .jpeg({ quality: 75 })
  .toBuffer()
const PHOTO_BYTES = PHOTO.length
const CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 4)
const TARGET = { records: 2000, photos: 200, drainSeconds: 300, benchSeconds: 600 }
/** BENCH_SYNC_CPU_PROFILE=file.cpuprofile: a CPU profile of the booth process while the backlog drains. */
const PROFILE_FILE = process.env.BENCH_SYNC_CPU_PROFILE

/** The platform is unreachable while the backlog builds up: every verification fails at once, as it would offline. */
const unreachable = {
  checkVehicle(): Promise<never> {
    return Promise.reject(new PlatformUnavailableError('platform unreachable (backlog being recorded)'))
  }
}

/** The camera-like photo with `n` in a comment segment right after its start marker: distinct bytes, same image. */
function numberedPhoto(n: number): Buffer {
  const comment = Buffer.alloc(8)
  comment.writeUInt16BE(0xfffe, 0)
  comment.writeUInt16BE(6, 2)
  comment.writeUInt32BE(n >>> 0, 4)
  return Buffer.concat([PHOTO.subarray(0, 2), comment, PHOTO.subarray(2)])
}

/** Passages per transaction (and per file-system sync of their photo files) while seeding. */
const SEED_BATCH = 200

/**
 * The backlog, recorded as the lane records it: the first passage through the lane itself (the platform unreachable,
 * so decided offline and sent away), the rest with the lane's own recorder (`PassageRecorder`: the same passage,
 * photo and outbox rows, the same photo files, each sha256-recorded) and that first passage's decision and outcome,
 * SEED_BATCH passages per transaction. The photo files are flushed by one file-system sync per batch, before its
 * commit, instead of an fsync per file and folder: at ~8 ms a flush on a loaded shared disk, the flushes made the
 * seeding of the full backlog take 18 minutes. One passage every 2 s of plant time, two photos each, each its own bytes.
 */
async function recordBacklog(booth: Booth, dataDir: string, passages: number): Promise<void> {
  const start = Date.now() - 30 * 24 * 3600_000
  const photosOf = (n: number) => [numberedPhoto(2 * n), numberedPhoto(2 * n + 1)]
  const first = (await booth.record(plateRead(nthPlate(0), start, photosOf(0)))).passage
  syncFileSystem(dataDir)
  const config = demoConfig({ dataDir, platformBaseUrl: 'http://127.0.0.1:9/ysgk' })
  const lane = config.lanes.find((candidate) => candidate.id === first.laneId)!
  let clock = Date.now()
  const recorder = new PassageRecorder(booth.store, { code: config.enterprise.code, name: config.enterprise.name }, () => clock)
  const outcome: PassOutcome = first.forced ? 'forced' : first.gateSignal === '0' ? 'passed' : first.gateSignal === '2' ? 'raised_not_passed' : 'not_raised'
  for (let from = 1; from < passages; from += SEED_BATCH) {
    const to = Math.min(passages, from + SEED_BATCH)
    booth.store.transaction(() => {
      for (let n = from; n < to; n++) {
        const at = start + n * 2000
        clock = Date.now()
        const { passageId } = recorder.record({
          lane,
          plate: nthPlate(n),
          colour: first.plateColour,
          at,
          source: first.source,
          photos: photosOf(n).map((jpeg, index) => ({ zpbh: index === 0 ? ('1' as const) : ('2' as const), jpeg })),
          decision: { decision: first.decision, reasonCode: first.reasonCode, reasonText: first.reasonText },
          decidedOffline: first.decidedOffline,
          verdict: first.verdict,
          cacheVerdict: false
        })
        recorder.finalize(passageId, outcome, at + 1000, first.raiseSource ?? null)
      }
      // The batch's photo files are on disk before the rows naming them commit, as the lane's own writes guarantee.
      syncFileSystem(dataDir)
    })
  }
}

/** Flushes the file system holding `path` (GNU sync); where `sync` has no --file-system, every file system. */
function syncFileSystem(path: string): void {
  if (spawnSync('sync', ['--file-system', path]).status === 0) return
  const synced = spawnSync('sync')
  if (synced.status !== 0) throw new Error(`sync failed: ${synced.stderr?.toString() ?? synced.error?.message}`)
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

interface Rates {
  recordsPerSecond: number
  photosPerSecond: number
  /** CPU of this process (user + system) per record and per photo, in ms. */
  recordCpuMs: number
  photoCpuMs: number
}

interface Drain extends Rates {
  recordSeconds: number
  photoSeconds: number
  /** Drain start to the last upload accepted. */
  totalSeconds: number
}

const cpuMsSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

/** Runs `send(i)` for i < count with `concurrency` calls in flight; resolves with the seconds it took. */
async function inFlight(count: number, concurrency: number, send: (i: number) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await send(next++)
  }))
  return Number(process.hrtime.bigint() - start) / 1e9
}

/**
 * The baseline: the first `passages` of the backlog's records, then their photos, as the booth would send them,
 * POSTed by node:http alone. The bodies are built before the clock starts, so only the sending is timed.
 */
async function bareUpload(booth: Booth, dataDir: string, concurrency: number, simUrl: string): Promise<Rates> {
  const login = (await (
    await fetch(`${simUrl}/ysgk${PATHS.getData}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ organ: DEMO_PLATFORM.organ, ipctype: 'getAccessToken', username: DEMO_PLATFORM.username, password: DEMO_PLATFORM.password })
    })
  ).json()) as { access_token: string }
  const envelope = { organ: DEMO_PLATFORM.organ, token: login.access_token }
  const firstPassages = (passages: number) =>
    booth.store.db
      .prepare(`SELECT kind, payload, photo_id FROM outbox WHERE passage_id <= (SELECT MIN(id) + ? - 1 FROM passages) ORDER BY id`)
      .all(passages) as { kind: string; payload: string; photo_id: number | null }[]
  const records = firstPassages(BASELINE.recordPassages)
    .filter((row) => row.kind !== 'sharePhotoInfo')
    .map((row) => Buffer.from(JSON.stringify(requestBody(row.kind, JSON.parse(row.payload), envelope, DEFAULT_WIRE))))
  const photos = firstPassages(BASELINE.photoPassages)
    .filter((row) => row.kind === 'sharePhotoInfo')
    .map((row) => {
      const file = booth.store.db.prepare('SELECT path FROM photos WHERE id = ?').pluck().get(row.photo_id) as string
      const jpeg = readFileSync(join(dataDir, 'photos', file))
      const info = JSON.stringify(requestBody('sharePhotoInfo', { ...JSON.parse(row.payload), base64Image: jpeg.toString('base64') }, envelope, DEFAULT_WIRE))
      const boundary = `----Bare${randomBytes(12).toString('hex')}`
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
        jpeg,
        Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="info"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${info}\r\n--${boundary}--\r\n`)
      ])
      return { body, contentType: `multipart/form-data; boundary=${boundary}` }
    })
  const agent = new http.Agent({ keepAlive: true })
  const post = (path: string, body: Buffer, contentType: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(`${simUrl}/ysgk${path}`, { method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': body.length } }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string; status?: string }
          if (reply.code === '200' || reply.status === '200') resolve()
          else reject(new Error(`bare upload refused: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`))
        })
      })
      request.on('error', reject)
      request.end(body)
    })
  let cpu = process.cpuUsage()
  const recordSeconds = await inFlight(records.length, concurrency, (i) => post(PATHS.putData, records[i]!, 'application/json; charset=UTF-8'))
  const recordCpuMs = cpuMsSince(cpu) / records.length
  cpu = process.cpuUsage()
  const photoSeconds = await inFlight(photos.length, concurrency, (i) => post(PATHS.putFile, photos[i]!.body, photos[i]!.contentType))
  const photoCpuMs = cpuMsSince(cpu) / photos.length
  agent.destroy()
  return { recordsPerSecond: records.length / recordSeconds, photosPerSecond: photos.length / photoSeconds, recordCpuMs, photoCpuMs }
}

async function drain(booth: Booth, passages: number, simUrl: string, simPid: number): Promise<Drain> {
  await fetch(`${simUrl}/__sim/requests`, { method: 'DELETE' })
  const simCpu = cpuSeconds(simPid)
  const ownCpu = process.cpuUsage()
  let recordsCpuMs: number | null = null
  const loadBefore = loadavg()[0]!
  const profiler = PROFILE_FILE ? await startProfiler() : null
  const startedAt = Date.now()
  void booth.sync.start()
  for (;;) {
    await new Promise((r) => setTimeout(r, 250))
    const status = await booth.sync.status()
    // The records' share of the CPU: up to the moment none is left (photos have started meanwhile: an upper bound).
    if (recordsCpuMs === null && Object.entries(status.pendingByKind).every(([kind, n]) => kind === 'sharePhotoInfo' || n === 0)) recordsCpuMs = cpuMsSince(ownCpu)
    if (status.pending === 0 && status.inFlight === 0) break
  }
  const wallSeconds = (Date.now() - startedAt) / 1000
  if (profiler) await stopProfiler(profiler, PROFILE_FILE!)
  const ownCpuMs = cpuMsSince(ownCpu)
  const simCpuShare = (cpuSeconds(simPid) - simCpu) / wallSeconds
  const loadAfter = loadavg()[0]!
  const status = await booth.sync.status()

  // The windows from the simulator's own arrival times (same clock, same machine), not from polling.
  const accepted = await acceptedRequests(simUrl)
  const records = accepted.filter((request) => request.ipctype !== 'sharePhotoInfo').map((request) => Date.parse(request.at))
  const photos = accepted.filter((request) => request.ipctype === 'sharePhotoInfo').map((request) => Date.parse(request.at))
  if (records.length !== passages || photos.length !== 2 * passages) {
    throw new Error(`the platform accepted ${records.length} records and ${photos.length} photos, expected ${passages} and ${2 * passages}`)
  }
  // From the first record, as the bare client's clock starts at its first call (the worker's start-up — crash
  // recovery, the photo sweep — is in totalSeconds).
  const recordSeconds = (Math.max(...records) - Math.min(...records)) / 1000
  const photoSeconds = (Math.max(...photos) - Math.min(...photos)) / 1000
  const totalSeconds = (Math.max(...records, ...photos) - startedAt) / 1000
  console.log(
    `drain: CPU busy: simulator ${(100 * simCpuShare).toFixed(0)} %, booth ${((100 * ownCpuMs) / 1000 / wallSeconds).toFixed(0)} % of one core; ` +
      `machine load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores; dead letters ${status.dead}`
  )
  const recordCpuMs = (recordsCpuMs ?? ownCpuMs) / passages
  return {
    recordSeconds,
    recordsPerSecond: passages / recordSeconds,
    photoSeconds,
    photosPerSecond: (2 * passages) / photoSeconds,
    totalSeconds,
    recordCpuMs,
    photoCpuMs: (ownCpuMs - (recordsCpuMs ?? 0)) / (2 * passages)
  }
}

async function startProfiler(): Promise<Session> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return session
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop')
  writeFileSync(file, JSON.stringify(profile))
  session.disconnect()
  console.log(`booth CPU profile of the drain written to ${file}`)
}

const benchStart = Date.now()
heading(`sync drain: ${PASSAGES} passages, ${2 * PASSAGES} photos of 1920×1080, ${(PHOTO_BYTES / 1024).toFixed(0)} KB, simulator in its own process, ${CONCURRENCY} calls in flight`)
const free = statfsSync(tmpdir())
const needed = PASSAGES * 2 * PHOTO_BYTES * 1.2
if (free.bavail * free.bsize < needed) throw new Error(`not enough disk for the backlog: need ${(needed / 1e9).toFixed(1)} GB`)

const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username], { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password }, /platform-sim listening /)
const dataDir = tempDir('bench-sync')
try {
  const booth = await startBooth({
    dataDir,
    platformBaseUrl: `${sim.url}/ysgk`,
    concurrency: CONCURRENCY,
    startSync: false,
    maxBackoffMs: 1000,
    verifier: unreachable,
    store: { fsyncPhoto: () => {} }
  })
  const seedStart = Date.now()
  await recordBacklog(booth, dataDir, PASSAGES)
  console.log(`seeded: ${PASSAGES} passages + ${2 * PASSAGES} photos (${((PASSAGES * 2 * PHOTO_BYTES) / 1e9).toFixed(1)} GB) recorded (the first through the lane, the rest by its recorder in batches of ${SEED_BATCH}) in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`)
  const bare = await bareUpload(booth, dataDir, CONCURRENCY, sim.url)
  const full = await drain(booth, PASSAGES, sim.url, sim.child.pid!)
  await booth.close()
  const rate = (label: string, booth: number, base: number, unit: string) => `${label.padEnd(28)} booth ${booth.toFixed(unit === 'ms' ? 2 : 0).padStart(7)} ${unit}   bare client ${base.toFixed(unit === 'ms' ? 2 : 0).padStart(7)} ${unit}   (×${(booth / base).toFixed(2)} of baseline)`
  console.log(rate('records/s', full.recordsPerSecond, bare.recordsPerSecond, '/s'))
  console.log(rate('photos/s', full.photosPerSecond, bare.photosPerSecond, '/s'))
  console.log(rate('CPU per record', full.recordCpuMs, bare.recordCpuMs, 'ms'))
  console.log(rate('CPU per photo', full.photoCpuMs, bare.photoCpuMs, 'ms'))
  const benchSeconds = (Date.now() - benchStart) / 1000
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  console.log(
    `targets: ≥ ${TARGET.records} records/s ${verdict(full.recordsPerSecond >= TARGET.records)}; ≥ ${TARGET.photos} photos/s ${verdict(full.photosPerSecond >= TARGET.photos)}; ` +
      `drained in ${full.totalSeconds.toFixed(0)} s (≤ ${TARGET.drainSeconds} s ${verdict(full.totalSeconds <= TARGET.drainSeconds)}); ` +
      `bench ${benchSeconds.toFixed(0)} s including seeding (≤ ${TARGET.benchSeconds} s ${verdict(benchSeconds <= TARGET.benchSeconds)})`
  )
} finally {
  await stopProcess(sim)
  rmSync(dataDir, { recursive: true, force: true })
}
