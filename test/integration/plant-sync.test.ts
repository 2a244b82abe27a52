import { describe, expect, it } from 'vitest'
import { PlatformClient, preflightProblems } from '../../src/main/core/platform'
import { SyncWorker } from '../../src/main/core/sync'
import { openPlantStore, type PlantStore } from '../../src/main/plant/store'
import { acceptedRequests, DEMO_PLATFORM, uploadKey } from './booth'
import { passageUp, photoUp, plantTestBed } from './plant-support'
import { eventually, tempDir } from './support'

const bed = plantTestBed()

function worker(store: PlantStore): SyncWorker {
  return new SyncWorker({
    outbox: store.repos.outbox,
    photos: store.repos.photos,
    platform: new PlatformClient({ baseUrl: bed.sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, password: DEMO_PLATFORM.password, requestTimeoutMs: 5_000 }),
    requestTimeoutMs: 5_000,
    intervalMs: 200,
    maxBackoffMs: 2_000,
    concurrency: 3,
    compactAfterDays: 30,
    validate: preflightProblems,
    onPassageChanged: () => undefined,
    onStatus: () => undefined
  })
}

describe('the plant outbox under the sync worker', () => {
  it('two plant processes drain one outbox to the city platform: every record and photo once, each photo after its record', async () => {
    const url = bed.cluster.createDatabase('plant_sync')
    const photosDir = tempDir('plant-sync-photos')
    const [a, b] = [await openPlantStore({ connectionString: url, photosDir }), await openPlantStore({ connectionString: url, photosDir })]
    const t0 = Date.now() - 3600_000
    const passages = ['01', '02', '03'].flatMap((gateCode, gate) =>
      Array.from({ length: 8 }, (_, i) => passageUp({ gateCode, direction: i % 2 ? 'out' : 'in', plate: `豫A${gate}${String(1000 + i)}`, at: t0 + i * 1000 }))
    )
    await a.intake.passages('booths', passages, t0)
    await b.intake.photos(
      passages.flatMap((passage, i) => [photoUp(photosDir, passage, '1', 2 * i), photoUp(photosDir, passage, '2', 2 * i + 1)]),
      t0
    )
    const workers = [worker(a), worker(b)]
    try {
      await Promise.all(workers.map((w) => w.start()))
      await eventually('the outbox to drain', async () => ((await a.repos.outbox.counts()).pending === 0 || undefined), 60_000)
    } finally {
      await Promise.all(workers.map((w) => w.stop()))
      await a.close()
      await b.close()
    }
    const keys = (await acceptedRequests(bed.sim.url)).map(uploadKey)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(passages.flatMap((p) => [p.lsh, `${p.lsh}_1`, `${p.lsh}_2`]).sort())
    for (const passage of passages) expect(keys.indexOf(`${passage.lsh}_1`)).toBeGreaterThan(keys.indexOf(passage.lsh))
  })
})
