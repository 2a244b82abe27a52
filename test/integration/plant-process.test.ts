import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolAtPlant, PlantLink, type PlantLinkIdentity } from '../../src/main/booth/plant-link/client'
import { openPlantStore } from '../../src/main/plant/store'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { acceptedRequests, DEMO_PLATFORM, uploadKey } from './booth'
import { startPgCluster, type PgCluster } from './pg-cluster'
import { passageUp, photoUp, plantCommand, startPlantProcess, type PlantProcess } from './plant-support'
import { eventually, freePort, tempDir } from './support'

let cluster: PgCluster
let sim: PlatformSim
let plant: PlantProcess | undefined

beforeAll(async () => {
  cluster = await startPgCluster()
  sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
})
afterAll(async () => {
  plant?.child.kill('SIGKILL')
  await sim?.close()
  cluster?.stop()
})

const ENV = { PLANT_PLATFORM_PASSWORD: DEMO_PLATFORM.password }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A booth's outbox in miniature: each item is sent until the plant answers for it, in order. */
async function sendUntilAnswered<T>(send: () => Promise<T>, errors: string[]): Promise<T> {
  for (;;) {
    try {
      return await send()
    } catch (error) {
      errors.push((error as Error).message)
      await sleep(150)
    }
  }
}

describe('plant process with three booths on loopback', () => {
  it('enrols booths by one-time code and pinned certificate; every passage and photo reaches the city once, in order, across a SIGKILL of the plant mid-batch', async () => {
    const dir = tempDir('plant-process')
    const port = await freePort()
    const configFile = join(dir, 'plant.json')
    const config = {
      dataDir: 'data',
      database: { url: cluster.createDatabase('plant_process') },
      platform: { baseUrl: sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'PLANT_PLATFORM_PASSWORD', requestTimeoutMs: 3000 },
      listen: { host: '127.0.0.1', port },
      sync: { concurrency: 1, intervalMs: 200, maxBackoffMs: 1000 }
    }
    writeFileSync(configFile, JSON.stringify(config))
    const codes = ['01', '02', '03'].map((gate) => {
      const printed = plantCommand(configFile, ['enrol-code', '--gate', gate], ENV)
      return { gate, code: /enrolment code (\S+)/.exec(printed)![1]!, fingerprint: /plant certificate (\S+)/.exec(printed)![1]! }
    })
    plant = await startPlantProcess(configFile, ENV)
    expect(plant.url).toBe(`https://127.0.0.1:${port}`)
    // The certificate made at the first command is the one the plant serves (kept in its data folder).
    expect(plant.fingerprint).toBe(codes[0]!.fingerprint)
    expect(readFileSync(join(dir, 'data/tls/plant.crt'), 'utf8')).toContain('BEGIN CERTIFICATE')

    // A booth told another fingerprint refuses the plant before sending its code; a code works once.
    const wrongPin = codes[0]!.fingerprint.replace(/^../, codes[0]!.fingerprint.startsWith('00') ? '11' : '00')
    await expect(enrolAtPlant({ url: plant.url, fingerprint: wrongPin, code: codes[0]!.code, boothId: 'booth-01' })).rejects.toThrow(/指纹不符/)
    const identities: PlantLinkIdentity[] = []
    for (const { gate, code, fingerprint } of codes) identities.push(await enrolAtPlant({ url: plant.url, fingerprint, code, boothId: `booth-${gate}` }))
    expect(identities.map((identity) => identity.gateCode)).toEqual(['01', '02', '03'])
    await expect(enrolAtPlant({ url: plant.url, fingerprint: codes[1]!.fingerprint, code: codes[1]!.code, boothId: 'intruder' })).rejects.toThrow(/注册码无效/)

    // A booth may only send its own gate's passages.
    const links = identities.map((identity) => new PlantLink(identity, 3000))
    const t0 = Date.now() - 2 * 3600_000
    await expect(links[0]!.sendPassages([passageUp({ gateCode: '02', direction: 'in', plate: '豫Z00000', at: t0 })])).rejects.toThrow(/门岗编号/)

    // The truck that enters at gate 01 and leaves at gate 03 95 minutes later, among each gate's traffic.
    const truck = '豫A77777'
    const perGate = [0, 1, 2].map((g) =>
      Array.from({ length: 10 }, (_, i) => {
        const gateCode = `0${g + 1}`
        if (g === 0 && i === 0) return passageUp({ gateCode, direction: 'in', plate: truck, at: t0 })
        if (g === 2 && i === 9) return passageUp({ gateCode, direction: 'out', plate: truck, at: t0 + 95 * 60_000 })
        return passageUp({ gateCode, direction: i % 2 ? 'out' : 'in', plate: `豫B${g}${String(100 + i)}`, at: t0 + 60_000 + i * 1000 })
      })
    )
    const photosDir = join(dir, 'booth-photos')
    const errors: string[] = []
    // Slow uploads, so the kill lands while the plant's worker is mid-batch.
    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'slow', delayMs: 40, times: 100_000 }) })
    const booths = perGate.map(async (passages, g) => {
      for (let i = 0; i < passages.length; i += 2) {
        const batch = passages.slice(i, i + 2)
        await sendUntilAnswered(() => links[g]!.sendPassages(batch), errors)
        for (const passage of batch) {
          for (const zpbh of ['1', '2'] as const) {
            const photo = photoUp(photosDir, passage, zpbh, g * 100 + i * 2 + Number(zpbh))
            const jpeg = readFileSync(join(photosDir, photo.path))
            await sendUntilAnswered(() => links[g]!.sendPhoto(photo.lsh, zpbh, { zplx: photo.zplx, takenAt: photo.takenAt, record: photo.record }, jpeg), errors)
          }
        }
      }
    })
    await eventually('some uploads accepted by the city platform', async () => ((await acceptedRequests(sim.url)).length >= 8 || undefined), 30_000)
    const outputs: string[] = []
    plant.child.kill('SIGKILL')
    await new Promise((resolve) => plant!.child.once('exit', resolve))
    outputs.push(plant.output())
    await sleep(500)
    plant = await startPlantProcess(configFile, ENV)
    await Promise.all(booths)
    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'none' }) })

    const expected = perGate.flat().flatMap((p) => [p.lsh, `${p.lsh}_1`, `${p.lsh}_2`])
    await eventually('every upload at the city platform', async () => {
      const keys = new Set((await acceptedRequests(sim.url)).map(uploadKey))
      return expected.every((key) => keys.has(key)) || undefined
    }, 60_000)
    outputs.push(plant.output())
    const keys = (await acceptedRequests(sim.url)).map(uploadKey)
    const resent = new Set(outputs.flatMap((output) => [...output.matchAll(/resending with the same key: (.+)$/gm)].flatMap((match) => match[1]!.split(', '))))
    const twice = [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))]
    // A second copy only of a row in flight at the kill, under its own key.
    expect(twice.filter((key) => !resent.has(key))).toEqual([])
    expect(new Set(keys).size).toBe(expected.length)
    // Each gate's records reach the city in the order the booth recorded them; each photo after its record.
    for (const passages of perGate) {
      const order = passages.map((p) => keys.indexOf(p.lsh))
      expect(order).toEqual([...order].sort((a, b) => a - b))
      for (const p of passages) expect(keys.indexOf(`${p.lsh}_1`)).toBeGreaterThan(keys.indexOf(p.lsh))
    }
    // One token owner: every upload went with a token from the plant's logins (the booths never log in).
    const logins = (await (await fetch(`${sim.url}/__sim/requests`)).json() as any[]).filter((request) => request.ipctype === 'getAccessToken')
    expect(logins.length).toBeGreaterThanOrEqual(1)
    expect(logins.length).toBeLessThanOrEqual(2)

    // Entry at gate 01 + exit at gate 03: one visit of 95 minutes at the plant.
    const store = await openPlantStore({ connectionString: config.database.url, photosDir: join(dir, 'data/photos') })
    try {
      const visits = await store.views.visits({ from: t0 - 1000, to: t0 + 1000, plate: truck, limit: 5 })
      expect(visits.map((visit) => [visit.entryGate, visit.exitGate, visit.dwellMs])).toEqual([['01', '03', 95 * 60_000]])

      // Down the feed: what the plant files reaches each booth by revision, and a booth catches up from its own.
      const before = await links[1]!.changes(0)
      await store.feed.putEntity('innerVehicle', `${truck}/2`, { license: truck, licenseColor: '2', carStatus: '1' }, '管理员', Date.now())
      for (const link of links) expect((await link.changes(before.revision)).changes.map((change) => change.key)).toEqual([`${truck}/2`])
    } finally {
      await store.close()
    }

    // A revoked booth is refused from then on.
    expect(plantCommand(configFile, ['revoke', '--booth', 'booth-02'], ENV)).toContain('booth-02 revoked')
    await expect(links[1]!.changes(0)).rejects.toThrow(/吊销/)
    console.log(`plant process: ${keys.length} uploads accepted for ${expected.length} keys, ${resent.size} resent after the kill, ${errors.length} booth sends retried`)
  }, 180_000)
})
