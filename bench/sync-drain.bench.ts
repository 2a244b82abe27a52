/**
 * Drain rate of the sync worker: a backlog of passages with two ~200 KB photos each, recorded while the platform
 * was unreachable, then drained against the platform simulator in its own process over loopback.
 *
 *   npm run bench -- sync-drain                          (20,000 passages, 40,000 photos: ~8 GB of photo files)
 *   BENCH_SYNC_PASSAGES=2000 npm run bench -- sync-drain (a quicker run)
 *
 * Baseline: the first part of the same backlog drained with one call in flight, in the same run. Every photo file is
 * distinct (its own bytes, fsynced like the lane writes it); the data folder is removed at the end.
 */
import { readFileSync, rmSync, statfsSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { PlatformUnavailableError } from '../src/main/platform'
import { acceptedRequests, nthPlate, numberedJpeg, plateRead, startBooth, type Booth } from '../test/integration/booth'
import { startProcess, stopProcess, tempDir } from '../test/integration/support'
import { DEMO_PLATFORM } from '../src/main/config'
import { heading } from './support'

const PASSAGES = Number(process.env.BENCH_SYNC_PASSAGES ?? 20_000)
const BASELINE_PASSAGES = Math.min(300, Math.ceil(PASSAGES / 10))
const PHOTO_BYTES = 200 * 1024
const CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 4)
const TARGET = { records: 200, photos: 50 }

/** The platform is unreachable while the backlog builds up: every verification fails at once, as it would offline. */
const unreachable = {
  checkVehicle(): Promise<never> {
    return Promise.reject(new PlatformUnavailableError('platform unreachable (backlog being recorded)'))
  }
}

async function recordBacklog(booth: Booth, passages: number, firstTruck: number): Promise<void> {
  const start = Date.now() - 30 * 24 * 3600_000
  for (let i = 0; i < passages; i++) {
    const n = firstTruck + i
    // Two photos of ~200 KB, each with its own bytes; one passage every 2 s of plant time.
    await booth.record(plateRead(nthPlate(n), start + i * 2000, [numberedJpeg(2 * n, PHOTO_BYTES), numberedJpeg(2 * n + 1, PHOTO_BYTES)]))
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function drain(label: string, passages: number, concurrency: number, simUrl: string, simPid: number) {
  const dataDir = tempDir('bench-sync')
  try {
    const booth = startBooth({ dataDir, platformBaseUrl: `${simUrl}/ysgk`, concurrency, startSync: false, maxBackoffMs: 1000, verifier: unreachable })
    const seedStart = Date.now()
    await recordBacklog(booth, passages, label === 'baseline' ? 500_000 : 0)
    const seedSeconds = (Date.now() - seedStart) / 1000
    const diskGb = (passages * 2 * PHOTO_BYTES) / 1e9
    console.log(`${label}: recorded ${passages} passages + ${2 * passages} photos (${diskGb.toFixed(1)} GB) in ${seedSeconds.toFixed(0)} s`)

    const simCpu = cpuSeconds(simPid)
    const ownCpu = process.cpuUsage()
    const started = process.hrtime.bigint()
    let recordsDoneAt = 0
    booth.sync.start()
    for (;;) {
      await new Promise((r) => setTimeout(r, 200))
      const status = booth.sync.status()
      if (!recordsDoneAt && !status.pendingByKind.shareDrivingRecord) recordsDoneAt = Number(process.hrtime.bigint() - started) / 1e9
      if (status.pending === 0 && status.inFlight === 0) break
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const own = process.cpuUsage(ownCpu)
    const status = booth.sync.status()
    await booth.close()
    const result = {
      seconds,
      recordsPerSecond: passages / seconds,
      photosPerSecond: (2 * passages) / seconds,
      simCpuShare: (cpuSeconds(simPid) - simCpu) / seconds,
      boothCpuShare: (own.user + own.system) / 1e6 / seconds
    }
    console.log(
      `${label.padEnd(9)} concurrency ${concurrency}: drained ${passages} records + ${2 * passages} photos in ${seconds.toFixed(1)} s ` +
        `(all records by ${recordsDoneAt.toFixed(1)} s) → ${result.recordsPerSecond.toFixed(0)} records/s, ${result.photosPerSecond.toFixed(0)} photos/s; ` +
        `CPU busy: simulator ${(100 * result.simCpuShare).toFixed(0)} %, booth ${(100 * result.boothCpuShare).toFixed(0)} % of one core; ` +
        `machine load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; dead letters ${status.dead}`
    )
    return result
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

heading(`sync drain: ${PASSAGES} passages, ${2 * PASSAGES} photos of ${PHOTO_BYTES / 1024} KB, simulator in its own process`)
const free = statfsSync(tmpdir())
const needed = PASSAGES * 2 * PHOTO_BYTES * 1.2
if (free.bavail * free.bsize < needed) throw new Error(`not enough disk for the backlog: need ${(needed / 1e9).toFixed(1)} GB`)

const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username], { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password }, /platform-sim listening /)
try {
  const baseline = await drain('baseline', BASELINE_PASSAGES, 1, sim.url, sim.child.pid!)
  await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' })
  const full = await drain('backlog', PASSAGES, CONCURRENCY, sim.url, sim.child.pid!)
  const accepted = await acceptedRequests(sim.url)
  const records = accepted.filter((request) => request.ipctype === 'shareDrivingRecord').length
  console.log(`platform accepted ${records} records and ${accepted.length - records} photos of the backlog`)
  console.log(
    `rate ×${(full.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)} of the one-at-a-time baseline; ` +
      `target ≥ ${TARGET.records} records/s: ${full.recordsPerSecond >= TARGET.records ? 'met' : 'NOT met'}, ` +
      `≥ ${TARGET.photos} photos/s: ${full.photosPerSecond >= TARGET.photos ? 'met' : 'NOT met'}`
  )
} finally {
  await stopProcess(sim)
}
