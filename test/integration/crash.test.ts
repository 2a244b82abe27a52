import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { SyncStatus } from '@shared/contract'
import { acceptedRequests, nthPlate, numberedJpeg, setFault, uploadKey } from './booth'
import { addUser, ApiSession, eventually, postJson, seededRandom, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from './support'

const ROUNDS = 100
const SEED = 20261125
const password = 'crash-test-password'
/** Transient platform trouble the simulator flaps between (a refusal such as 952 is not transient). */
const FLAPS = ['none', 'none', 'none', 'down', 'http500', 'code500', '401', 'garbage', 'html'] as const

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const started: RunningProcess[] = []

afterAll(async () => {
  for (const process of started.splice(0)) await stopProcess(process, 'SIGKILL')
})

function startHost(configFile: string): Promise<RunningProcess> {
  return startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: password }, /listening /).then((host) => (started.push(host), host))
}

/** A truck as its camera pushes it: the same read (plate, camera time, event id where it has one) every time it is sent. */
interface Truck {
  n: number
  plate: string
  body: Record<string, unknown>
  photos: { front: string; rear: string }
}

describe('the host killed with SIGKILL at random points while plates arrive and the platform flaps', () => {
  it(`loses no truck, passage or photo and stores each in the platform once, over ${ROUNDS} rounds`, async () => {
    const random = seededRandom(SEED)
    const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
    started.push(sim)
    const dataDir = tempDir('crash')
    const configFile = writeBoothConfig(dataDir, `${sim.url}/ysgk`, {
      platform: { baseUrl: `${sim.url}/ysgk`, organ: '4110020001', username: 'gate01', verifyBudgetMs: 300, requestTimeoutMs: 1000 },
      sync: { intervalMs: 100, maxBackoffMs: 300, concurrency: 4 },
      // The lanes have no barrier of ours: a truck decided offline (guard) is held for the guard; nobody here acts.
      laneTiming: { decisionHoldMs: 1_000 }
    })
    const guard = { username: 'zhang', password: 'crash-test-guard', role: 'guard' as const }
    await addUser(dataDir, guard)

    /** Photos the camera pushed for each passage the booth acknowledged (HTTP 201), by upload key → sha256. */
    const acknowledged = new Map<string, string | null>()
    const hostOutputs: string[] = []
    const trucks: Truck[] = []
    /** Trucks whose camera has not had a 2xx yet: it sends them again, first thing, to the next host. */
    const unacknowledged = new Map<number, Truck>()
    let unanswered = 0
    let resends = 0
    /** Re-sends the booth recognised as a read it already had (kept, or already a passage). */
    let recognised = 0

    const newTruck = (): Truck => {
      const n = trucks.length
      const front = numberedJpeg(2 * n, 3000)
      const rear = numberedJpeg(2 * n + 1, 3000)
      const body: Record<string, unknown> = {
        plate: nthPlate(10_000 + n),
        colour: '1',
        recognizedAt: new Date().toISOString(),
        images: { front: front.toString('base64'), rear: rear.toString('base64') }
      }
      // Half the cameras number their reads; the other half are recognised by plate and camera time.
      if (n % 2 === 0) body.eventId = `crash-cam-${n}`
      const truck = { n, plate: body.plate as string, body, photos: { front: sha256(front), rear: sha256(rear) } }
      trucks.push(truck)
      unacknowledged.set(n, truck)
      return truck
    }

    /** One push as a camera makes it: a 2xx is delivered; anything else (cut by the kill, 503) is sent again later. */
    const pushTruck = async (lprUrl: string, truck: Truck) => {
      try {
        const reply = await postJson(`${lprUrl}/lpr/in1`, truck.body)
        if (reply.status !== 201 && reply.status !== 202) throw new Error(`HTTP ${reply.status}`)
        unacknowledged.delete(truck.n)
        if (reply.body.outcome === 'merged') recognised++
        if (reply.status === 201) {
          const lsh = reply.body.lsh as string
          acknowledged.set(lsh, null)
          acknowledged.set(`${lsh}_1`, truck.photos.front)
          acknowledged.set(`${lsh}_2`, truck.photos.rear)
        }
      } catch {
        unanswered++ // the booth died before answering (or was down), or could not keep the read: the camera sends it again
      }
    }

    for (let round = 0; round < ROUNDS; round++) {
      await setFault(sim.url, FLAPS[Math.floor(random() * FLAPS.length)]!)
      const host = await startHost(configFile)
      const lprUrl = /lpr listening (http:\/\/\S+)/.exec(host.output())![1]!
      const killAfterMs = Math.floor(random() * 600)
      const pushes = Math.ceil(random() * 3)
      const flapAt = Math.floor(random() * 600)

      const flap = setTimeout(() => void setFault(sim.url, FLAPS[round % FLAPS.length]!), flapAt)
      const kill = new Promise<void>((resolve) => setTimeout(() => void stopProcess(host, 'SIGKILL').then(resolve), killAfterMs))
      // The cameras send what the last host did not acknowledge as soon as this one listens; new trucks follow.
      const resent = [...unacknowledged.values()]
      resends += resent.length
      const arrivals = [
        ...resent.map((truck) => pushTruck(lprUrl, truck)),
        ...Array.from({ length: pushes }, newTruck).map(async (truck, i) => {
          await new Promise((r) => setTimeout(r, i * 120))
          await pushTruck(lprUrl, truck)
        })
      ]
      await Promise.all([kill, ...arrivals])
      clearTimeout(flap)
      hostOutputs.push(host.output())
    }

    // The last start: the platform is up, every camera delivers what it still holds, and the host lives until every
    // truck is decided and the outbox is empty.
    await setFault(sim.url, 'none')
    const host = await startHost(configFile)
    const lprUrl = /lpr listening (http:\/\/\S+)/.exec(host.output())![1]!
    await eventually('every camera read delivered', async () => {
      for (const truck of [...unacknowledged.values()]) {
        resends++
        await pushTruck(lprUrl, truck)
      }
      return unacknowledged.size === 0 ? true : undefined
    })
    const api = new ApiSession(host.url)
    await api.login(guard.username, guard.password)
    const booked = async () => ((await api.call('passages.list', { limit: 500 })).body.result as { plate: string; lsh: string; photoCount: number; upload: string }[])
    await eventually('every truck decided', async () => {
      const plates = new Set((await booked()).map((passage) => passage.plate))
      return trucks.every((truck) => plates.has(truck.plate)) ? true : undefined
    }, 60_000)
    const final = await eventually(
      'the outbox to drain',
      async () => {
        const status = (await api.call('sync.status')).body.result as SyncStatus
        return status.pending === 0 && status.inFlight === 0 ? status : undefined
      },
      120_000
    )
    hostOutputs.push(host.output())

    const accepted = await acceptedRequests(sim.url)
    const copies = new Map<string, number>()
    for (const request of accepted) copies.set(uploadKey(request), (copies.get(uploadKey(request)) ?? 0) + 1)
    const resentAfterCrash = new Set(
      hostOutputs.flatMap((output) => [...output.matchAll(/resending with the same key: (.+)$/gm)].flatMap((match) => match[1]!.split(', ')))
    )
    const duplicated = [...copies].filter(([, n]) => n > 1).map(([key]) => key)
    const missing = [...acknowledged.keys()].filter((key) => !copies.has(key))
    const wrongPhoto = accepted.filter((r) => r.ipctype === 'sharePhotoInfo' && acknowledged.get(uploadKey(r)) && acknowledged.get(uploadKey(r)) !== r.photo?.sha256)
    const records = [...copies.keys()].filter((key) => !/_\d$/.test(key)).length

    // Counted by truck, not by key: each truck the cameras saw is one passage under one lsh, with both its photos.
    const lshOfPlate = new Map<string, Set<string>>()
    for (const request of accepted.filter((r) => r.ipctype === 'shareDrivingRecord')) {
      lshOfPlate.set(request.value!.cphm, (lshOfPlate.get(request.value!.cphm) ?? new Set()).add(request.value!.lsh))
    }
    const photoOf = new Map(accepted.filter((r) => r.ipctype === 'sharePhotoInfo').map((r) => [uploadKey(r), r.photo?.sha256]))
    const lostTrucks = trucks.filter((truck) => !lshOfPlate.has(truck.plate)).map((truck) => truck.plate)
    const twoSerials = [...lshOfPlate].filter(([, serials]) => serials.size > 1).map(([plate, serials]) => `${plate}: ${[...serials].join(', ')}`)
    const photoless = trucks.filter((truck) => {
      const [lsh] = lshOfPlate.get(truck.plate) ?? []
      return !lsh || photoOf.get(`${lsh}_1`) !== truck.photos.front || photoOf.get(`${lsh}_2`) !== truck.photos.rear
    })
    const booth = await booked()

    console.log(
      `crash: ${ROUNDS} rounds, ${trucks.length} trucks, ${unanswered} pushes without a 2xx (cut by a kill, sent to a dead host, 503), ${resends} camera re-sends (${recognised} recognised as a read already kept); ` +
        `${acknowledged.size / 3} passages acknowledged with their lsh; trucks lost ${lostTrucks.length}, trucks under two lsh ${twoSerials.length}, ` +
        `trucks without both photos ${photoless.length}; booth holds ${booth.length} passages; ` +
        `platform holds ${records} records and ${copies.size - records} photos; acknowledged missing ${missing.length}; ` +
        `${resentAfterCrash.size} rows were claimed for sending at a kill and resent, ${duplicated.length} of them reached the platform twice ` +
        `(recognisable by their key); dead letters ${final.dead}`
    )
    expect(lostTrucks).toEqual([])
    expect(twoSerials).toEqual([])
    expect(photoless.map((truck) => truck.plate)).toEqual([])
    expect(booth.length).toBe(trucks.length)
    expect(missing).toEqual([])
    expect(wrongPhoto).toEqual([])
    // A second copy only ever comes from a row in flight at a kill, and carries the same idempotency key.
    expect(duplicated.filter((key) => !resentAfterCrash.has(key))).toEqual([])
    expect(final).toMatchObject({ pending: 0, dead: 0 })
    // Every passage the booth recorded (acknowledged or cut off after its commit) is in the platform, with its photos.
    const recorded = booth
    expect(recorded.filter((passage) => passage.upload !== 'uploaded')).toEqual([])
    expect(records).toBe(recorded.length)
    expect(copies.size - records).toBe(recorded.reduce((sum, passage) => sum + passage.photoCount, 0))
  }, 600_000)
})
