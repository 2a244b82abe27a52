import type { Passage } from '@shared/contract'
import { cameraArea } from '../../src/main/booth/devices/camera/area'
import { devicesArea } from '../../src/main/booth/devices/area'
import { lanesArea } from '../../src/main/booth/lane/area'
import type { LaneDriver, PlateRead, VehicleVerifier } from '../../src/main/booth/lane'
import { storeArea } from '../../src/main/booth/store/area'
import type { Store, StoreOptions } from '../../src/main/booth/store'
import { alarmsArea } from '../../src/main/core/alarms/area'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { platformArea } from '../../src/main/core/platform/area'
import { createRoot } from '../../src/main/core/root'
import { syncArea } from '../../src/main/core/sync/area'
import type { SyncWorker, Validate } from '../../src/main/core/sync'
import { tinyJpeg } from './support'

/**
 * The booth's recording and sync core in this process (store, platform client, sync worker, alarms, lanes without
 * devices), built from the same areas as the product by the same root builder, against a real platform simulator
 * over loopback HTTP. For tests and benchmarks that need an injected clock, randomness, photo writer, pre-flight or
 * verifier.
 */
export interface Booth {
  store: Store
  lanes: LaneDriver
  sync: SyncWorker
  /** Hands a read to its lane and resolves with the recorded passage (throws if none was recorded). */
  record(read: PlateRead): Promise<{ passage: Passage; warnings: string[] }>
  close(): Promise<void>
}

export interface BoothOptions {
  dataDir: string
  platformBaseUrl: string
  concurrency?: number
  /** Pre-flight before sending (default: none, every payload goes). */
  validate?: Validate
  now?: () => number
  random?: () => number
  store?: StoreOptions
  /** Start the sync worker now (default true). */
  startSync?: boolean
  maxBackoffMs?: number
  log?: (line: string) => void
  /** Who verifies plates (default: the platform client). */
  verifier?: VehicleVerifier
  /** The platform client's request timeout (default 5 s). */
  requestTimeoutMs?: number
}

/** The test role: the areas a booth records and uploads with, in the product's order. */
export function boothRole(options: BoothOptions) {
  const demo = demoConfig({ dataDir: options.dataDir, platformBaseUrl: options.platformBaseUrl })
  // Lanes without a barrier: each passage is closed, and its uploads released, at the decision.
  const config = {
    ...demo,
    // No idle probe: its requests would take the simulator's counted faults meant for the uploads under test.
    platform: { ...demo.platform, requestTimeoutMs: options.requestTimeoutMs ?? 5_000, verifyBudgetMs: 300, probeIntervalMs: 0 },
    sync: { ...demo.sync, intervalMs: 100, maxBackoffMs: options.maxBackoffMs ?? 400, concurrency: options.concurrency ?? 4 }
  }
  return createRoot({ config, log: options.log ?? (() => {}), version: 'test', demo: false, ...(options.now ? { systemClock: options.now } : {}) })
    .use(storeArea(options.store))
    .use(platformArea({ password: DEMO_PLATFORM.password }))
    .use(syncArea({ validate: options.validate ?? (() => []), send: options.startSync ?? true, ...(options.random ? { random: options.random } : {}) }))
    .use(alarmsArea)
    .use(devicesArea)
    .use(cameraArea())
    .use(lanesArea(options.verifier ? { verifier: options.verifier } : {}))
}

export async function startBooth(options: BoothOptions): Promise<Booth> {
  const root = await boothRole(options).start()
  const { store, lanes, sync } = root
  return {
    store,
    lanes,
    sync,
    async record(read) {
      const result = await lanes.handlePlateRead(read)
      const passage = result.passage ?? (await result.decided)
      if (!passage) throw new Error(`no passage was recorded for ${read.plate}`)
      // These lanes have no barrier of ours and this booth no guard: a truck held for the guard is sent away at once,
      // so the next read is decided and the passage's uploads go.
      if (lanes.state(read.laneId).current?.passageId === passage.id && lanes.state(read.laneId).phase === 'decided') lanes.refuse({ laneId: read.laneId, note: '', passageId: passage.id }, null)
      return { passage, warnings: result.warnings }
    },
    close: () => root.close()
  }
}

/** A passage read on lane in1 at `at`, with a front and a rear photo unless told otherwise. */
export function plateRead(plate: string, at: number, photos: Buffer[]): PlateRead {
  return {
    laneId: 'in1',
    plate,
    colour: '1',
    at,
    source: 'lpr',
    photos: photos.map((jpeg, index) => ({ zpbh: index === 0 ? '1' : '2', jpeg }))
  }
}

/**
 * A decodable JPEG of `size` bytes whose content is unique to `n`, so the platform's copy can be matched to it: `n`
 * is written into the text of tinyJpeg's first comment segment (FF FE, its length at bytes 4–5, its text from 6).
 */
export function numberedJpeg(n: number, size = 2048): Buffer {
  const jpeg = tinyJpeg(size)
  jpeg.writeUInt32BE(n >>> 0, 6)
  return jpeg
}

/** A distinct valid plate for the n-th truck of a test (豫A + 5 digits). */
export function nthPlate(n: number): string {
  return `豫A${String(n % 100_000).padStart(5, '0')}`
}

export async function setFault(simUrl: string, mode: string): Promise<void> {
  const response = await fetch(`${simUrl}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode }) })
  if (!response.ok) throw new Error(`fault ${mode}: HTTP ${response.status}`)
}

export interface SimRequest {
  seq: number
  /** When the simulator received it (ISO-8601). */
  at: string
  ipctype: string | null
  reply: { code?: string } | null
  value: Record<string, any> | null
  photo?: { bytes: number; sha256: string }
}

/** Every request the simulator accepted (code 200), in arrival order. */
export async function acceptedRequests(simUrl: string): Promise<SimRequest[]> {
  const response = await fetch(`${simUrl}/__sim/requests`)
  const requests = (await response.json()) as SimRequest[]
  return requests.filter((request) => request.reply?.code === '200' && request.ipctype !== 'getAccessToken' && request.ipctype !== 'getCheckVehicle')
}

/** The idempotency key of an accepted upload, as the booth's outbox names it. */
export function uploadKey(request: SimRequest): string {
  return request.ipctype === 'sharePhotoInfo' ? `${request.value!.lsh}_${request.value!.zpbh}` : String(request.value!.lsh)
}

export { DEMO_PLATFORM }
