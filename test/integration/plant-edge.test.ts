import { describe, expect, it } from 'vitest'
import { enrolAtPlant, PlantLink } from '../../src/main/booth/plant-link/client'
import { PlantUplinkPlatform } from '../../src/main/booth/plant-link/uplink-platform'
import { goodsRecordValue } from '../../src/main/core/platform'
import { SyncWorker } from '../../src/main/core/sync'
import { startPlant, type Plant } from '../../src/main/roles/plant'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, numberedJpeg, plateRead, startBooth, uploadKey, type Booth } from './booth'
import { ENTERPRISE, lanRelay, plantConfig, plantTestBed } from './plant-support'
import { eventually, tempDir } from './support'

const bed = plantTestBed()

function boothWorker(booth: Booth, link: PlantLink, concurrency = 1): SyncWorker {
  return new SyncWorker({
    outbox: booth.store.repos.outbox,
    photos: booth.store.repos.photos,
    platform: new PlantUplinkPlatform(link, async (lsh) => {
      const id = booth.store.passages.idByLsh(lsh)
      return id === null ? null : booth.store.passages.get(id)
    }),
    requestTimeoutMs: 2_000,
    intervalMs: 100,
    maxBackoffMs: 500,
    concurrency,
    compactAfterDays: 30,
    validate: () => [],
    onPassageChanged: () => undefined,
    onStatus: () => undefined
  })
}

describe('a booth as the plant\'s edge node', () => {
  it('sends its passages and photos up through its own outbox; with the LAN cut for a while every one reaches the city once, each photo after its record', async () => {
    const plant: Plant = await startPlant({
      config: plantConfig(bed.cluster.createDatabase('edge'), bed.sim.baseUrl, { intervalMs: 100, maxBackoffMs: 500 }),
      platformPassword: DEMO_PLATFORM.password,
      log: () => undefined
    })
    const relay = await lanRelay(Number(new URL(plant.uplink.url).port))
    const booth = await startBooth({ dataDir: tempDir('edge-booth'), platformBaseUrl: bed.sim.baseUrl, startSync: false, store: { recordsInGateOrder: true } })
    const worker = await (async () => {
      const code = await plant.store.booths.createCode('01', 'test', Date.now())
      const identity = await enrolAtPlant({ url: `https://127.0.0.1:${relay.port}`, fingerprint: plant.fingerprint, code, boothId: 'booth-01' })
      return boothWorker(booth, new PlantLink(identity, 2_000))
    })()
    try {
      const lshs: string[] = []
      const t0 = Date.now() - 3600_000
      for (let i = 0; i < 12; i++) lshs.push((await booth.record(plateRead(nthPlate(100 + i), t0 + i * 2000, [numberedJpeg(500 + 2 * i), numberedJpeg(501 + 2 * i)]))).passage.lsh)
      await worker.start()
      await eventually('a few passages at the plant', async () => ((await plant.store.views.journal({ limit: 100 })).length >= 3 || undefined), 30_000)
      relay.cut()
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      relay.restore()
      await eventually('the booth\'s outbox to drain to the plant', async () => ((await booth.store.repos.outbox.counts()).pending === 0 || undefined), 60_000)
      await eventually('the plant\'s outbox to drain to the city', async () => ((await plant.store.repos.outbox.counts()).pending === 0 || undefined), 60_000)
      const keys = (await acceptedRequests(bed.sim.url)).map(uploadKey).filter((key) => lshs.some((lsh) => key.startsWith(lsh)))
      expect([...keys].sort()).toEqual(lshs.flatMap((lsh) => [lsh, `${lsh}_1`, `${lsh}_2`]).sort())
      // The records in the booth's recording order; each photo after its record.
      expect(keys.filter((key) => lshs.includes(key))).toEqual(lshs)
      for (const lsh of lshs) {
        expect(keys.indexOf(`${lsh}_1`)).toBeGreaterThan(keys.indexOf(lsh))
        expect(keys.indexOf(`${lsh}_2`)).toBeGreaterThan(keys.indexOf(lsh))
      }
      expect(relay.drops()).toBeGreaterThan(0)
      // The booth sees each passage's upload as done (accepted by the plant).
      expect((await booth.store.repos.outbox.counts()).dead).toBe(0)
    } finally {
      await worker.stop()
      await booth.close()
      await relay.close()
      await plant.close()
    }
  })

  it('keeps each gate\'s records in the booth\'s recording order at the city, exactly once, while records are retried on the LAN and at the city', async () => {
    const plant: Plant = await startPlant({
      config: plantConfig(bed.cluster.createDatabase('order'), bed.sim.baseUrl, { concurrency: 4, intervalMs: 100, maxBackoffMs: 400 }),
      platformPassword: DEMO_PLATFORM.password,
      log: () => undefined
    })
    const relay = await lanRelay(Number(new URL(plant.uplink.url).port))
    const booth = await startBooth({ dataDir: tempDir('order-booth'), platformBaseUrl: bed.sim.baseUrl, startSync: false, store: { recordsInGateOrder: true } })
    const code = await plant.store.booths.createCode('01', 'test', Date.now())
    const identity = await enrolAtPlant({ url: `https://127.0.0.1:${relay.port}`, fingerprint: plant.fingerprint, code, boothId: 'booth-order' })
    const worker = boothWorker(booth, new PlantLink(identity, 2_000), 4)
    const fault = (mode: string, times: number) => fetch(`${bed.sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode, times }) })
    const atCity = async (lshs: string[]) => (await acceptedRequests(bed.sim.url)).map(uploadKey).filter((key) => lshs.some((lsh) => key.startsWith(lsh)))
    try {
      const lshs: string[] = []
      const t0 = Date.now() - 7200_000
      for (let i = 0; i < 30; i++) lshs.push((await booth.record(plateRead(nthPlate(300 + i), t0 + i * 2000, [numberedJpeg(900 + i)]))).passage.lsh)
      await worker.start()
      // Retries forced at every step: city calls failing (code 500, a dropped connection), the LAN cut under the booth.
      await eventually('a few records at the city', async () => ((await atCity(lshs)).length >= 4 || undefined), 30_000)
      await fault('code500', 5)
      relay.cut()
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      relay.restore()
      await eventually('more records at the city', async () => ((await atCity(lshs)).length >= 20 || undefined), 60_000)
      await fault('down', 4)
      await eventually('the booth\'s outbox to drain to the plant', async () => ((await booth.store.repos.outbox.counts()).pending === 0 || undefined), 60_000)
      await eventually('the plant\'s outbox to drain to the city', async () => ((await plant.store.repos.outbox.counts()).pending === 0 || undefined), 60_000)
      const requests = await fetch(`${bed.sim.url}/__sim/requests`).then((response) => response.json() as Promise<{ fault?: string; value: Record<string, string> | null }[]>)
      const failed = requests.filter((request) => request.fault && lshs.includes(String(request.value?.lsh)))
      const keys = await atCity(lshs)
      // Exactly once, and the gate's records in recording order although some were retried.
      expect(keys.length).toBe(new Set(keys).size)
      expect([...keys].sort()).toEqual(lshs.flatMap((lsh) => [lsh, `${lsh}_1`]).sort())
      expect(keys.filter((key) => lshs.includes(key))).toEqual(lshs)
      for (const lsh of lshs) expect(keys.indexOf(`${lsh}_1`)).toBeGreaterThan(keys.indexOf(lsh))
      expect(failed.length).toBeGreaterThan(0)
      expect(relay.drops()).toBeGreaterThan(0)
      console.log(`per-gate order: ${lshs.length} records + ${lshs.length} photos at the city once each, in order, after ${failed.length} failed city call(s) and ${relay.drops()} dropped LAN connection(s)`)
    } finally {
      await fault('none', 0)
      await worker.stop()
      await booth.close()
      relay.cut()
      await relay.close()
      await plant.close()
    }
  }, 180_000)

  it("carries the camera's 车型 to the plant's journal but never to the city; the booth's goods become one row of the plant's goods ledger, whatever the resends", async () => {
    const plant: Plant = await startPlant({
      config: plantConfig(bed.cluster.createDatabase('class_goods'), bed.sim.baseUrl, { intervalMs: 100, maxBackoffMs: 500 }),
      platformPassword: DEMO_PLATFORM.password,
      log: () => undefined
    })
    const booth = await startBooth({ dataDir: tempDir('class-goods-booth'), platformBaseUrl: bed.sim.baseUrl, startSync: false, store: { recordsInGateOrder: true } })
    const code = await plant.store.booths.createCode('01', 'test', Date.now())
    const link = new PlantLink(await enrolAtPlant({ url: plant.uplink.url, fingerprint: plant.fingerprint, code, boothId: 'booth-goods' }), 2_000)
    const worker = boothWorker(booth, link)
    try {
      const t0 = Date.now() - 600_000
      const truck = (await booth.record({ ...plateRead(nthPlate(700), t0, [numberedJpeg(700)]), vehicleClass: 'large_truck' })).passage
      const unclassified = (await booth.record(plateRead(nthPlate(701), t0 + 2000, []))).passage
      expect(truck.vehicleClass).toBe('large_truck')
      await worker.start()
      await eventually("the booth's outbox to drain to the plant", async () => ((await booth.store.repos.outbox.counts()).pending === 0 || undefined), 30_000)
      const journal = await plant.store.views.journal({ limit: 10 })
      expect(journal.find((row) => row.lsh === truck.lsh)?.vehicleClass).toBe('large_truck')
      expect(journal.find((row) => row.lsh === unclassified.lsh)?.vehicleClass).toBeNull()

      // Goods recorded at the booth, sent up under the booth's key (a resend is a duplicate), then changed there.
      const goods = (hwmc: string) =>
        goodsRecordValue(ENTERPRISE, { lsh: truck.lsh, gateCode: '01', plate: truck.plate, plateColour: truck.plateColour, hwmc, ysl: '30', djsj: truck.tgsjq })
      expect(await link.sendRecords([{ kind: 'shareGoodsRecord', idemKey: 'goods:5:1', value: goods('钢材') }])).toEqual(['accepted'])
      expect(await link.sendRecords([{ kind: 'shareGoodsRecord', idemKey: 'goods:5:1', value: goods('钢材') }])).toEqual(['duplicate'])
      const ledger = plant.store.repos.ledgers
      const filed = await ledger.goodsPage({ offset: 0, limit: 10 })
      expect(filed).toMatchObject({ total: 1, rows: [{ lsh: truck.lsh, gateCode: '01', laneId: 'in1', cphm: truck.plate, hwmc: '钢材', ysl: '30', source: 'guard', updatedBy: '01 号门岗亭' }] })
      expect(await link.sendRecords([{ kind: 'shareGoodsRecord', idemKey: 'goods:5:2', value: goods('煤炭'), source: 'admin' }, { kind: 'shareGoodsRecord', idemKey: 'goods:5:1', value: goods('钢材') }])).toEqual([
        'accepted',
        'duplicate'
      ])
      const id = filed.rows[0]!.id
      expect(await ledger.goodsPage({ offset: 0, limit: 10 })).toMatchObject({ total: 1, rows: [{ id, hwmc: '煤炭', source: 'admin' }] })
      expect((await ledger.history('goods', id)).map((change) => [change.action, change.by, change.changes.hwmc])).toEqual([
        ['update', '01 号门岗亭', { from: '钢材', to: '煤炭' }],
        ['create', '01 号门岗亭', { from: null, to: '钢材' }]
      ])
      // The ledger row shows its records' trip to the city: both once, in order, after the passage's record.
      await eventually('the goods at the city', async () => ((await ledger.goods(id))?.upload === 'uploaded' ? true : undefined), 30_000)
      const atCity = (await acceptedRequests(bed.sim.url)).filter((request) => request.value?.lsh === truck.lsh && request.ipctype !== 'sharePhotoInfo')
      expect(atCity.map((request) => [request.ipctype, request.value?.hwmc])).toEqual([
        ['shareDrivingRecord', undefined],
        ['shareGoodsRecord', '钢材'],
        ['shareGoodsRecord', '煤炭']
      ])
      // 车型 is never part of what the city receives.
      await eventually("the plant's outbox to drain to the city", async () => ((await plant.store.repos.outbox.counts()).pending === 0 || undefined), 30_000)
      for (const request of await acceptedRequests(bed.sim.url)) expect(JSON.stringify(request.value)).not.toMatch(/vehicleClass|large_truck|大型货车/)
    } finally {
      await worker.stop()
      await booth.close()
      await plant.close()
    }
  })
})
