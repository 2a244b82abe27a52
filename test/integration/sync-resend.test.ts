import { afterEach, describe, expect, it } from 'vitest'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, numberedJpeg, plateRead, startBooth, uploadKey, type Booth } from './booth'
import { LATE_ANSWER_FACTOR } from '../../src/main/core/sync'
import { eventually, tempDir } from './support'

let sim: PlatformSim | undefined
let booth: Booth | undefined

afterEach(async () => {
  await booth?.close()
  await sim?.close()
  booth = sim = undefined
})

const REQUEST_TIMEOUT_MS = 250
/** The simulator answers every call this long after it arrived: always after the booth's request timeout. */
const PLATFORM_DELAY_MS = 700
const PASSAGES = 12

async function slowPlatform(simUrl: string, delayMs: number, times?: number): Promise<void> {
  const response = await fetch(`${simUrl}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'slow', delayMs, ...(times ? { times } : {}) }) })
  if (!response.ok) throw new Error(`fault slow: HTTP ${response.status}`)
}

/** How many times the simulator accepted each key. */
function copiesByKey(keys: string[]): Map<string, number> {
  const copies = new Map<string, number>()
  for (const key of keys) copies.set(key, (copies.get(key) ?? 0) + 1)
  return copies
}

function describeCopies(copies: Map<string, number>): string {
  const histogram = new Map<number, number>()
  for (const count of copies.values()) histogram.set(count, (histogram.get(count) ?? 0) + 1)
  const counts = [...histogram].sort(([a], [b]) => a - b).map(([count, n]) => `${count}× ${n}`)
  return `accepted copies per key: ${counts.join(', ')}; most ${Math.max(...copies.values())}`
}

/** A booth whose lane decides without asking the platform (only the uploads meet its delay), holding a token. */
async function boothWithToken(simUrl: string, platformBaseUrl: string, dir: string): Promise<{ booth: Booth; firstKey: string }> {
  const started = await startBooth({
    dataDir: tempDir(dir),
    platformBaseUrl,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    maxBackoffMs: 2_000,
    concurrency: 4,
    verifier: { checkVehicle: () => Promise.reject(new Error('not asked in this test')) }
  })
  // One upload at normal speed first: the booth holds a token before the platform turns slow.
  const first = await started.record(plateRead(nthPlate(0), Date.now(), []))
  await eventually('the first record to be accepted', async () => ((await acceptedRequests(simUrl)).length === 1 || undefined))
  return { booth: started, firstKey: first.passage.lsh }
}

async function recordTraffic(target: Booth, keys: string[]): Promise<void> {
  for (let i = 1; i <= PASSAGES; i++) {
    const { passage } = await target.record(plateRead(nthPlate(i), Date.now() + i * 1000, [numberedJpeg(2 * i), numberedJpeg(2 * i + 1)]))
    keys.push(passage.lsh, `${passage.lsh}_1`, `${passage.lsh}_2`)
  }
}

describe('resend discipline', () => {
  it('with the platform answering after the request timeout, each record and photo reaches it once: the late answer is awaited, not resent', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const ready = await boothWithToken(sim.url, sim.baseUrl, 'sync-resend')
    booth = ready.booth
    await slowPlatform(sim.url, PLATFORM_DELAY_MS)
    const keys = [ready.firstKey]
    await recordTraffic(booth, keys)
    const started = Date.now()
    await eventually('the outbox to drain', async () => ((await booth!.sync.status()).pending === 0 || undefined), 60_000)
    const drainedMs = Date.now() - started
    // A copy still on its way would arrive within one platform delay.
    await new Promise((r) => setTimeout(r, 2 * PLATFORM_DELAY_MS))

    const copies = copiesByKey((await acceptedRequests(sim.url)).map(uploadKey))
    console.log(`resend, platform ${PLATFORM_DELAY_MS} ms vs timeout ${REQUEST_TIMEOUT_MS} ms: ${keys.length} keys drained in ${drainedMs} ms; ${describeCopies(copies)}`)
    expect(keys.filter((key) => !copies.has(key))).toEqual([])
    expect([...copies].filter(([, count]) => count > 2)).toEqual([])
    expect([...copies.values()].every((count) => count === 1)).toBe(true)
    expect((await booth.sync.status()).dead).toBe(0)
  })

  it('a call given up after waiting LATE_ANSWER_FACTOR timeouts is sent once more, after its backoff: at most two copies, none lost', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const ready = await boothWithToken(sim.url, sim.baseUrl, 'sync-give-up')
    booth = ready.booth
    // The next calls are answered later than the booth waits for them at all; the platform still accepts each.
    const beyondPatience = REQUEST_TIMEOUT_MS * LATE_ANSWER_FACTOR + 500
    await slowPlatform(sim.url, beyondPatience, 4)
    const keys = [ready.firstKey]
    await recordTraffic(booth, keys)
    await eventually('the outbox to drain', async () => ((await booth!.sync.status()).pending === 0 || undefined), 60_000)
    await new Promise((r) => setTimeout(r, beyondPatience))

    const copies = copiesByKey((await acceptedRequests(sim.url)).map(uploadKey))
    console.log(`resend, first 4 calls answered after ${beyondPatience} ms (given up after ${REQUEST_TIMEOUT_MS * LATE_ANSWER_FACTOR} ms): ${keys.length} keys; ${describeCopies(copies)}`)
    expect(keys.filter((key) => !copies.has(key))).toEqual([])
    expect([...copies].filter(([, count]) => count > 2)).toEqual([])
    expect([...copies.values()].filter((count) => count === 2)).toHaveLength(4)
    expect((await booth.sync.status()).dead).toBe(0)
  })
})
