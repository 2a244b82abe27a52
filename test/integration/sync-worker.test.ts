import { afterEach, describe, expect, it } from 'vitest'
import { drivingRecordValue } from '../../src/main/core/platform'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, numberedJpeg, plateRead, setFault, startBooth, uploadKey, type Booth } from './booth'
import { eventually, tempDir } from './support'

let sim: PlatformSim | undefined
let booth: Booth | undefined

afterEach(async () => {
  await booth?.close()
  await sim?.close()
  booth = sim = undefined
})

const DAY_MS = 24 * 3600_000

describe('sync worker', () => {
  it('keeps at most `concurrency` calls in flight and sends every row once', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    booth = await startBooth({ dataDir: tempDir('sync-conc'), platformBaseUrl: sim.baseUrl, concurrency: 3, startSync: false })
    for (let i = 0; i < 30; i++) await booth.record(plateRead(nthPlate(i), Date.now() + i * 1000, []))
    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'slow', delayMs: 40, times: 1000 }) })
    let most = 0
    const sampler = setInterval(() => void booth!.sync.status().then((status) => (most = Math.max(most, status.inFlight))), 5)
    void booth.sync.start()
    await eventually('the outbox to drain', async () => ((await booth!.sync.status()).pending === 0 || undefined), 30_000)
    clearInterval(sampler)
    expect(most).toBe(3)
    const keys = (await acceptedRequests(sim.url)).map(uploadKey)
    expect(keys).toHaveLength(30)
    expect(new Set(keys).size).toBe(30)
  })

  it('sends a backlog\'s records ahead of its photos, each photo still after its own record, every row once', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    booth = await startBooth({ dataDir: tempDir('sync-records-first'), platformBaseUrl: sim.baseUrl, concurrency: 1, startSync: false })
    const lshs: string[] = []
    for (let i = 0; i < 12; i++) {
      const { passage } = await booth.record(plateRead(nthPlate(i), Date.now() + i * 1000, [numberedJpeg(2 * i), numberedJpeg(2 * i + 1)]))
      lshs.push(passage.lsh)
    }
    void booth.sync.start()
    await eventually('the outbox to drain', async () => ((await booth!.sync.status()).pending === 0 || undefined), 30_000)
    const keys = (await acceptedRequests(sim.url)).map(uploadKey)
    // One call at a time: the twelve records first, in recording order, then the photos (oldest first).
    expect(keys).toEqual([...lshs, ...lshs.flatMap((lsh) => [`${lsh}_1`, `${lsh}_2`])])
  })

  it('sends a record made while photos drain before the photos still waiting', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    booth = await startBooth({ dataDir: tempDir('sync-live-record'), platformBaseUrl: sim.baseUrl, concurrency: 1, startSync: false })
    for (let i = 0; i < 10; i++) await booth.record(plateRead(nthPlate(i), Date.now() + i * 1000, [numberedJpeg(2 * i), numberedJpeg(2 * i + 1)]))
    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'slow', delayMs: 100, times: 1000 }) })
    void booth.sync.start()
    await eventually('the first photo to be accepted', async () => (await acceptedRequests(sim!.url)).some((request) => request.ipctype === 'sharePhotoInfo') || undefined, 30_000)
    const { passage } = await booth.record(plateRead(nthPlate(99), Date.now(), []))
    await eventually('the outbox to drain', async () => ((await booth!.sync.status()).pending === 0 || undefined), 30_000)
    await setFault(sim.url, 'none')
    const keys = (await acceptedRequests(sim.url)).map(uploadKey)
    expect(keys).toHaveLength(10 * 3 + 1)
    expect(new Set(keys).size).toBe(keys.length)
    // The new record waits for the photo in flight when it is made (a few went meanwhile: the poll, its own
    // verification), not for the photos still queued: with one call at a time and 100 ms a call, most of the 20.
    const photosAfter = keys.slice(keys.indexOf(passage.lsh) + 1).filter((key) => key.includes('_'))
    expect(photosAfter.length).toBeGreaterThanOrEqual(12)
  })

  it('resends rows claimed when the booth died, with the same key, and says so', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const lines: string[] = []
    const dataDir = tempDir('sync-claimed')
    booth = await startBooth({ dataDir, platformBaseUrl: sim.baseUrl, startSync: false })
    const { passage } = await booth.record(plateRead(nthPlate(40), Date.now(), []))
    booth.store.outbox.markSending([1], Date.now()) // as left by a crash mid-send
    expect(booth.store.outbox.due(Date.now(), 10)).toEqual([])
    booth.store.close()
    booth = await startBooth({ dataDir, platformBaseUrl: sim.baseUrl, log: (line) => lines.push(line) })
    await eventually('the record to be uploaded', async () => ((await booth!.sync.status()).pending === 0 || undefined))
    expect(lines.join('\n')).toContain(`resending with the same key: ${passage.lsh}`)
    expect((await acceptedRequests(sim.url)).map(uploadKey)).toEqual([passage.lsh])
  })

  it('sends the rows of one chain strictly in order, each only after the one before was accepted', async () => {
    booth = await startBooth({ dataDir: tempDir('sync-chain'), platformBaseUrl: 'http://127.0.0.1:9/ysgk', startSync: false })
    const { outbox } = booth.store
    const add = (key: string, chain?: string) => outbox.add({ kind: 'shareDrivingRecord', idemKey: key, payload: {}, ...(chain ? { chain } : {}) }, 1)
    const added = add('veh-add', '豫A12345')
    add('other')
    const update = add('veh-update', '豫A12345')
    expect(outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['veh-add', 'other'])
    outbox.markRetry(added, 'down', 5)
    expect(outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['veh-add', 'other'])
    outbox.markDone(added, { code: '200' }, 10)
    expect(outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['other', 'veh-update'])
    expect(outbox.state(update)).toBe('pending')
  })

  it('compacts accepted rows older than the retention window and leaves everything else alone', async () => {
    booth = await startBooth({ dataDir: tempDir('sync-compact'), platformBaseUrl: 'http://127.0.0.1:9/ysgk', startSync: false })
    const { outbox } = booth.store
    const now = Date.now()
    const payload = drivingRecordValue({ code: '4110020001', name: '企业' }, { lsh: 'x', gateCode: '01', plate: '豫A1', plateColour: '1', tgsjq: '', tgsjz: '', direction: 'in', bgzt: '1' })
    const old = outbox.add({ kind: 'shareDrivingRecord', idemKey: 'old', payload }, now - 40 * DAY_MS)
    const recent = outbox.add({ kind: 'shareDrivingRecord', idemKey: 'recent', payload }, now - DAY_MS)
    const pending = outbox.add({ kind: 'shareDrivingRecord', idemKey: 'pending', payload }, now - 40 * DAY_MS)
    outbox.markDone(old, { code: '200', status: '服务器已成功处理了请求', extra: 'x'.repeat(100) }, now - 40 * DAY_MS)
    outbox.markDone(recent, { code: '200' }, now - DAY_MS)
    expect(outbox.compact(now - 30 * DAY_MS, now)).toBe(1)
    const rows = booth.store.db.prepare(`SELECT idem_key, payload, reply, state FROM outbox ORDER BY id`).all() as { idem_key: string; payload: string; reply: string | null; state: string }[]
    expect(rows[0]).toEqual({ idem_key: 'old', payload: '{}', reply: JSON.stringify({ code: '200', status: '服务器已成功处理了请求' }), state: 'done' })
    expect(JSON.parse(rows[1]!.payload)).toEqual(payload)
    expect(rows[2]).toMatchObject({ idem_key: 'pending', state: 'pending' })
    expect(outbox.state(pending)).toBe('pending')
  })
})
