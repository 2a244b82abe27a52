/**
 * Drain rate of the sync worker: a backlog of passages with two ~200 KB 1920×1080 photos each, recorded while the platform
 * was unreachable, then drained against the platform simulator in its own process over loopback.
 *
 *   npm run bench -- sync-drain                          (20,000 passages, 40,000 photos: ~8 GB of photo files)
 *   BENCH_SYNC_PASSAGES=2000 npm run bench -- sync-drain (a quicker run)
 *
 * Baseline: the first part of the same backlog drained with one call in flight, in the same run. Every photo file is
 * distinct (a camera-like JPEG with its number in a comment segment, fsynced like the lane writes it); the data folder
 * is removed at the end. Records/s are over the records' window (drain start to the last record accepted), photos/s
 * over the photos' own (first photo to last), since records go ahead of photos (docs/sync.md).
 */
import { readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { PlatformUnavailableError } from '../src/main/core/platform'
import sharp from 'sharp'
import { acceptedRequests, nthPlate, plateRead, startBooth, type Booth } from '../test/integration/booth'
import { startProcess, stopProcess, tempDir } from '../test/integration/support'
import { DEMO_PLATFORM } from '../src/main/core/config'
import { heading } from './support'

const PASSAGES = Number(process.env.BENCH_SYNC_PASSAGES ?? 20_000)
const BASELINE_PASSAGES = Math.min(300, Math.ceil(PASSAGES / 10))
/** What a gate camera sends: 1920×1080, ~200 KB (noise, slightly blurred, quality 75). */
const PHOTO = await sharp(
  await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#6b7d8f', noise: { type: 'gaussian', mean: 128, sigma: 26 } } }).png().toBuffer()
)
  .blur(1.2)
  .jpeg({ quality: 75 })
  .toBuffer()
const PHOTO_BYTES = PHOTO.length
const CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 4)
const TARGET = { records: 200, photos: 50 }
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

async function recordBacklog(booth: Booth, passages: number, firstTruck: number): Promise<void> {
  const start = Date.now() - 30 * 24 * 3600_000
  for (let i = 0; i < passages; i++) {
    const n = firstTruck + i
    // Two photos, each with its own bytes; one passage every 2 s of plant time.
    await booth.record(plateRead(nthPlate(n), start + i * 2000, [numberedPhoto(2 * n), numberedPhoto(2 * n + 1)]))
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

interface Drain {
  /** Drain start to the last record accepted. */
  recordSeconds: number
  recordsPerSecond: number
  /** First photo received to the last photo accepted: the photos' own window. */
  photoSeconds: number
  photosPerSecond: number
  /** Drain start to the last upload accepted. */
  totalSeconds: number
}

async function drain(label: string, passages: number, concurrency: number, simUrl: string, simPid: number): Promise<Drain> {
  const dataDir = tempDir('bench-sync')
  try {
    const booth = await startBooth({ dataDir, platformBaseUrl: `${simUrl}/ysgk`, concurrency, startSync: false, maxBackoffMs: 1000, verifier: unreachable })
    const seedStart = Date.now()
    await recordBacklog(booth, passages, label === 'baseline' ? 500_000 : 0)
    const seedSeconds = (Date.now() - seedStart) / 1000
    const diskGb = (passages * 2 * PHOTO_BYTES) / 1e9
    console.log(`${label}: recorded ${passages} passages + ${2 * passages} photos (${diskGb.toFixed(1)} GB) in ${seedSeconds.toFixed(0)} s`)

    await fetch(`${simUrl}/__sim/requests`, { method: 'DELETE' })
    const simCpu = cpuSeconds(simPid)
    const ownCpu = process.cpuUsage()
    const loadBefore = loadavg()[0]!
    const profiler = PROFILE_FILE && label === 'backlog' ? await startProfiler() : null
    const startedAt = Date.now()
    void booth.sync.start()
    for (;;) {
      await new Promise((r) => setTimeout(r, 200))
      const status = await booth.sync.status()
      if (status.pending === 0 && status.inFlight === 0) break
    }
    const wallSeconds = (Date.now() - startedAt) / 1000
    if (profiler) await stopProfiler(profiler, PROFILE_FILE!)
    const own = process.cpuUsage(ownCpu)
    const simCpuShare = (cpuSeconds(simPid) - simCpu) / wallSeconds
    const boothCpuShare = (own.user + own.system) / 1e6 / wallSeconds
    const loadAfter = loadavg()[0]!
    const status = await booth.sync.status()
    await booth.close()

    // The windows from the simulator's own arrival times (same clock, same machine), not from polling.
    const accepted = await acceptedRequests(simUrl)
    const records = accepted.filter((request) => request.ipctype !== 'sharePhotoInfo').map((request) => Date.parse(request.at))
    const photos = accepted.filter((request) => request.ipctype === 'sharePhotoInfo').map((request) => Date.parse(request.at))
    if (records.length !== passages || photos.length !== 2 * passages) {
      throw new Error(`${label}: the platform accepted ${records.length} records and ${photos.length} photos, expected ${passages} and ${2 * passages}`)
    }
    const recordSeconds = (Math.max(...records) - startedAt) / 1000
    const photoSeconds = (Math.max(...photos) - Math.min(...photos)) / 1000
    const totalSeconds = (Math.max(...records, ...photos) - startedAt) / 1000
    const result = { recordSeconds, recordsPerSecond: passages / recordSeconds, photoSeconds, photosPerSecond: (2 * passages) / photoSeconds, totalSeconds }
    console.log(
      `${label.padEnd(9)} concurrency ${concurrency}: ${passages} records in ${recordSeconds.toFixed(1)} s → ${result.recordsPerSecond.toFixed(0)} records/s; ` +
        `${2 * passages} photos in ${photoSeconds.toFixed(1)} s (first to last photo) → ${result.photosPerSecond.toFixed(0)} photos/s; ` +
        `all drained in ${totalSeconds.toFixed(1)} s; CPU busy: simulator ${(100 * simCpuShare).toFixed(0)} %, booth ${(100 * boothCpuShare).toFixed(0)} % of one core; ` +
        `machine load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores; dead letters ${status.dead}`
    )
    return result
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
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

heading(`sync drain: ${PASSAGES} passages, ${2 * PASSAGES} photos of 1920×1080, ${(PHOTO_BYTES / 1024).toFixed(0)} KB, simulator in its own process`)
const free = statfsSync(tmpdir())
const needed = PASSAGES * 2 * PHOTO_BYTES * 1.2
if (free.bavail * free.bsize < needed) throw new Error(`not enough disk for the backlog: need ${(needed / 1e9).toFixed(1)} GB`)

const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username], { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password }, /platform-sim listening /)
try {
  const baseline = await drain('baseline', BASELINE_PASSAGES, 1, sim.url, sim.child.pid!)
  const full = await drain('backlog', PASSAGES, CONCURRENCY, sim.url, sim.child.pid!)
  const verdict = (rate: number, target: number) => `${rate.toFixed(0)}/s ${rate >= target ? 'met' : `NOT met (${(100 * (1 - rate / target)).toFixed(0)} % short)`}`
  console.log(
    `backlog vs one-at-a-time baseline: records/s ×${(full.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)}, photos/s ×${(full.photosPerSecond / baseline.photosPerSecond).toFixed(2)}; ` +
      `target ≥ ${TARGET.records} records/s: ${verdict(full.recordsPerSecond, TARGET.records)}; ≥ ${TARGET.photos} photos/s: ${verdict(full.photosPerSecond, TARGET.photos)}; ` +
      `time to drain ${PASSAGES} passages: ${full.totalSeconds.toFixed(0)} s`
  )
} finally {
  await stopProcess(sim)
}
