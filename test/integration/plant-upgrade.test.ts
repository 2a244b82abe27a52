import { describe, expect, it } from 'vitest'
import { openBoothExport } from '../../src/main/booth/store/plant-export'
import { PlatformClient, preflightProblems } from '../../src/main/core/platform'
import { SyncWorker } from '../../src/main/core/sync'
import { openPlantStore } from '../../src/main/plant/store'
import { importBooth } from '../../src/main/plant/upgrade'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, numberedJpeg, plateRead, startBooth, uploadKey } from './booth'
import { plantTestBed } from './plant-support'
import { eventually, tempDir } from './support'

const bed = plantTestBed()

describe('upgrade of a standalone booth into a plant', () => {
  it('moves passages, photos, upload states, users and lists; nothing the city accepted is sent again, the rest is sent once', async () => {
    const dataDir = tempDir('upgrade-booth')
    const booth = await startBooth({ dataDir, platformBaseUrl: bed.sim.baseUrl })
    const t0 = Date.now() - 3600_000
    const lshs: string[] = []
    for (let i = 0; i < 3; i++) lshs.push((await booth.record(plateRead(nthPlate(i), t0 + i * 2000, [numberedJpeg(2 * i), numberedJpeg(2 * i + 1)]))).passage.lsh)
    await eventually('the first passages uploaded', async () => ((await booth.sync.status()).pending === 0 || undefined), 30_000)
    await booth.sync.stop()
    // The last one with the camera's 车型, which moves with it.
    for (let i = 3; i < 5; i++) {
      const read = plateRead(nthPlate(i), t0 + i * 2000, [numberedJpeg(2 * i), numberedJpeg(2 * i + 1)])
      lshs.push((await booth.record(i === 4 ? { ...read, vehicleClass: 'medium_truck' } : read)).passage.lsh)
    }
    await booth.store.repos.users.insert({ username: 'guard1', name: '门卫一', role: 'guard', passwordHash: 'scrypt$x' }, t0)
    await booth.store.repos.policy.addToList('black', '豫A44444', '欠费', { actorId: null, actorName: '管理员' }, t0, t0 + 90 * 86_400_000)
    await booth.close()
    const atCityBefore = (await acceptedRequests(bed.sim.url)).map(uploadKey)
    expect(atCityBefore.sort()).toEqual(lshs.slice(0, 3).flatMap((lsh) => [lsh, `${lsh}_1`, `${lsh}_2`]).sort())

    const plantPhotos = tempDir('upgrade-plant-photos')
    const store = await openPlantStore({ connectionString: bed.cluster.createDatabase('upgrade'), photosDir: plantPhotos })
    try {
      const source = openBoothExport(dataDir)
      const report = await importBooth(store, source, { boothId: 'booth-01', photosDir: plantPhotos, now: Date.now() })
      expect(report).toEqual({
        passages: { accepted: 5, duplicate: 0 },
        photos: { accepted: 10, duplicate: 0, missingFile: 0 },
        alreadyAtCity: 9,
        users: 1,
        lists: 1,
        ledgerRows: 0
      })
      // Again: everything is there already.
      const again = await importBooth(store, source, { boothId: 'booth-01', photosDir: plantPhotos, now: Date.now() })
      source.close()
      expect(again.passages).toEqual({ accepted: 0, duplicate: 5 })
      expect(again.photos).toEqual({ accepted: 0, duplicate: 10, missingFile: 0 })
      expect((await store.repos.users.find('guard1'))!.passwordHash).toBe('scrypt$x')
      expect((await store.feed.since(0, 10)).changes.map((change) => change.key)).toEqual(['guard1', 'black:豫A44444'])
      // The list entry keeps its validity: it still ends 90 days after it was added at the booth.
      expect((await store.repos.policy.list('black')).map((entry) => entry.expiresAt)).toEqual([new Date(t0 + 90 * 86_400_000).toISOString()])

      const worker = new SyncWorker({
        outbox: store.repos.outbox,
        photos: store.repos.photos,
        platform: new PlatformClient({ baseUrl: bed.sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, password: DEMO_PLATFORM.password, requestTimeoutMs: 5_000 }),
        requestTimeoutMs: 5_000,
        intervalMs: 200,
        maxBackoffMs: 2_000,
        concurrency: 2,
        compactAfterDays: 30,
        validate: preflightProblems,
        onPassageChanged: () => undefined,
        onStatus: () => undefined
      })
      await worker.start()
      try {
        await eventually('the plant outbox to drain', async () => ((await store.repos.outbox.counts()).pending === 0 || undefined), 30_000)
      } finally {
        await worker.stop()
      }
      const sentByPlant = (await acceptedRequests(bed.sim.url)).map(uploadKey).slice(atCityBefore.length)
      expect(sentByPlant.sort()).toEqual(lshs.slice(3).flatMap((lsh) => [lsh, `${lsh}_1`, `${lsh}_2`]).sort())
      expect((await store.views.journal({ limit: 10 })).map((row) => [row.upload, row.vehicleClass])).toEqual([
        ['done', 'medium_truck'],
        ['done', null],
        ['done', null],
        ['done', null],
        ['done', null]
      ])
    } finally {
      await store.close()
    }
  })
})
