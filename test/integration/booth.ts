import type { Passage } from '@shared/contract'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { AlarmService } from '../../src/main/core/alarms'
import { LaneDriver, type PlateRead, type VehicleVerifier } from '../../src/main/booth/lane'
import { PlatformClient } from '../../src/main/core/platform'
import { openStore, type Store, type StoreOptions } from '../../src/main/booth/store'
import { sweepPhotoStore, SyncWorker, type Validate } from '../../src/main/core/sync'
import { tinyJpeg } from './support'

/**
 * The booth's recording and sync core in this process (store, lane driver, platform client, sync worker), against a
 * real platform simulator over loopback HTTP. For tests and benchmarks that need an injected clock or photo writer.
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

export function startBooth(options: BoothOptions): Booth {
  const config = demoConfig({ dataDir: options.dataDir, platformBaseUrl: options.platformBaseUrl })
  const store = openStore(options.dataDir, options.store)
  const now = options.now ?? Date.now
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000
  const platform = new PlatformClient({
    baseUrl: options.platformBaseUrl,
    organ: DEMO_PLATFORM.organ,
    username: DEMO_PLATFORM.username,
    password: DEMO_PLATFORM.password,
    requestTimeoutMs,
    now
  })
  const sync = new SyncWorker({
    outbox: store.repos.outbox,
    photos: store.repos.photos,
    sweepPhotos: () => sweepPhotoStore(store),
    platform,
    requestTimeoutMs,
    intervalMs: 100,
    maxBackoffMs: options.maxBackoffMs ?? 400,
    concurrency: options.concurrency ?? 4,
    compactAfterDays: config.sync.compactAfterDays,
    validate: options.validate ?? (() => []),
    onPassageChanged: () => {},
    onStatus: () => {},
    ...(options.log ? { log: options.log } : {}),
    now,
    ...(options.random ? { random: options.random } : {})
  })
  const timing = config.laneTiming
  const alarms = new AlarmService({ ...timing, store: store.repos.alarms, onRaised: () => {}, onUpdated: () => {}, now })
  // Lanes without a barrier: each passage is closed, and its uploads released, at the decision.
  const lanes = new LaneDriver({
    lanes: config.lanes,
    enterprise: { code: config.enterprise.code, name: config.enterprise.name },
    store,
    verifier: options.verifier ?? platform,
    verifyBudgetMs: 300,
    timing,
    alarms,
    onPassage: () => sync.kick(),
    onState: () => {},
    now
  })
  if (options.startSync ?? true) void sync.start()
  return {
    store,
    lanes,
    sync,
    async record(read) {
      const result = await lanes.handlePlateRead(read)
      const passage = result.passage ?? (await result.decided)
      if (!passage) throw new Error(`no passage was recorded for ${read.plate}`)
      return { passage, warnings: result.warnings }
    },
    async close() {
      lanes.stop()
      await sync.stop()
      store.close()
    }
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
