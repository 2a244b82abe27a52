import { afterEach, describe, expect, it } from 'vitest'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, plateRead, setFault, startBooth, uploadKey, type Booth } from './booth'
import { eventually, tempDir, tinyJpeg } from './support'

const DAY_MS = 24 * 3600_000
const PASSAGES = 216 // three a hour for three days
const CONCURRENCY = 4

let sim: PlatformSim | undefined
let booth: Booth | undefined

afterEach(async () => {
  await booth?.close()
  await sim?.close()
  booth = sim = undefined
})

describe('a three-day platform outage', () => {
  it('queues every passage and photo while the platform is down, then drains them once, in order, when it is up', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    await setFault(sim.url, 'down')
    // The booth's clock runs three days behind and catches up as the traffic is recorded (no 3-day wait).
    let offsetMs = 0
    const now = () => Date.now() + offsetMs
    const firstAt = Date.now() - 3 * DAY_MS
    booth = await startBooth({ dataDir: tempDir('outage'), platformBaseUrl: sim.baseUrl, now, concurrency: CONCURRENCY })

    const recorded: string[] = []
    for (let i = 0; i < PASSAGES; i++) {
      const at = firstAt + Math.floor((i * 3 * DAY_MS) / PASSAGES)
      offsetMs = at - Date.now()
      const { passage } = await booth.record(plateRead(nthPlate(i), at, [tinyJpeg(3000 + i), tinyJpeg(5000 + i)]))
      expect(passage.decidedOffline).toBe(true)
      recorded.push(passage.lsh)
    }
    offsetMs = 0

    const queued = await booth.sync.status()
    console.log(`outage: queued ${queued.pending} rows (${JSON.stringify(queued.pendingByKind)}), oldest ${Math.round(queued.oldestPendingAgeMs! / 3600_000)} h old`)
    expect(queued).toMatchObject({ online: false, pending: PASSAGES * 3, dead: 0, pendingByKind: { shareDrivingRecord: PASSAGES, sharePhotoInfo: 2 * PASSAGES } })
    expect(queued.oldestPendingAgeMs).toBeGreaterThanOrEqual(3 * DAY_MS - 60_000)
    expect(await acceptedRequests(sim.url)).toEqual([])

    await setFault(sim.url, 'none')
    booth.sync.kick()
    const progress: number[] = []
    await eventually(
      'the backlog to drain',
      async () => {
        const status = await booth!.sync.status()
        if (status.backlog) progress.push(status.backlog.settled / status.backlog.total)
        return status.pending === 0 && status.inFlight === 0 ? status : undefined
      },
      120_000
    )
    expect(await booth.sync.status()).toMatchObject({ online: true, pending: 0, dead: 0, backlog: null, oldestPendingAt: null })
    expect(progress.some((fraction) => fraction > 0 && fraction < 1)).toBe(true)

    const accepted = await acceptedRequests(sim.url)
    const keys = accepted.map(uploadKey)
    const records = accepted.filter((request) => request.ipctype === 'shareDrivingRecord').map((request) => String(request.value!.lsh))
    const photos = accepted.filter((request) => request.ipctype === 'sharePhotoInfo')
    console.log(`outage: platform accepted ${records.length} records and ${photos.length} photos, ${keys.length - new Set(keys).size} duplicates`)
    // Exactly once each.
    expect(new Set(keys).size).toBe(keys.length)
    expect(records.slice().sort()).toEqual(recorded.slice().sort())
    expect(photos).toHaveLength(2 * PASSAGES)
    // A photo never arrives before its passage record.
    const arrival = new Map(accepted.map((request) => [uploadKey(request), request.seq]))
    for (const photo of photos) expect(photo.seq).toBeGreaterThan(arrival.get(String(photo.value!.lsh))!)
    // Oldest first: each record arrives within a few places of where it was recorded (calls overlap CONCURRENCY-wide).
    const displacement = Math.max(...records.map((lsh, rank) => Math.abs(rank - recorded.indexOf(lsh))))
    console.log(`outage: largest displacement of a record from recording order: ${displacement}`)
    expect(displacement).toBeLessThanOrEqual(2 * CONCURRENCY)
  }, 180_000)
})
