import type { Passage, Verdict } from '@shared/contract'
import { formatSpecDate, formatSpecDateTime, makeLsh } from '@shared/spec'
import type { LaneConfig } from '../config'
import { jpegProblem } from '../photos/jpeg'
import { drivingRecordValue, photoRecordValue, PlatformUnavailableError, type Enterprise } from '../platform'
import { decide, type VerdictSource } from '../policy'
import type { Store } from '../store'

/** A plate as read by a camera or typed by the guard, already normalised and validated at the boundary. */
export interface PlateRead {
  laneId: string
  plate: string
  colour: string
  /** When the plate was read (epoch ms). */
  at: number
  source: 'manual' | 'lpr'
  photos?: { zpbh: '1' | '2'; jpeg: Uint8Array }[]
}

export interface PlateReadResult {
  passage: Passage
  /** Problems that did not stop the passage, e.g. a photo that was not a JPEG. */
  warnings: string[]
}

export class UnknownLaneError extends Error {
  override name = 'UnknownLaneError'
}

export interface VehicleVerifier {
  checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict>
}

export interface LaneServiceOptions {
  lanes: LaneConfig[]
  enterprise: Enterprise
  store: Store
  verifier: VehicleVerifier
  verifyBudgetMs: number
  onRecorded(passage: Passage): void
  now?: () => number
  log?: (line: string) => void
}

/** Seconds an lsh may be pushed forward to stay unique (ERRATA E16: bump the timestamp, never lengthen it). */
const MAX_LSH_BUMP_SECONDS = 3600

/**
 * From plate read to recorded passage: verify within the time budget (or fall back to the last known verdict),
 * decide, and commit the passage, its photos and their outbox rows in one transaction.
 */
export class LaneService {
  private readonly lanes: Map<string, LaneConfig>
  private readonly now: () => number

  constructor(private readonly options: LaneServiceOptions) {
    this.lanes = new Map(options.lanes.map((lane) => [lane.id, lane]))
    this.now = options.now ?? Date.now
  }

  lane(laneId: string): LaneConfig {
    const lane = this.lanes.get(laneId)
    if (!lane) throw new UnknownLaneError(`未知车道：${laneId}`)
    return lane
  }

  async handlePlateRead(read: PlateRead): Promise<PlateReadResult> {
    const lane = this.lane(read.laneId)
    const { verdict, source } = await this.verify(read.plate, read.colour)
    const outcome = decide(verdict, source)
    const warnings: string[] = []
    const photos = (read.photos ?? []).filter((photo) => {
      const problem = jpegProblem(photo.jpeg)
      if (problem) warnings.push(`${photo.zpbh === '1' ? '前' : '后'}照未保存：${problem}`)
      return problem === null
    })

    const recognizedAt = new Date(read.at)
    const stamp = formatSpecDateTime(recognizedAt)
    const day = formatSpecDate(recognizedAt)
    const bgzt = outcome.decision === 'allow' ? '1' : '0'
    const { store, enterprise } = this.options

    const passageId = store.transaction(() => {
      const lsh = this.uniqueLsh(lane, read.at)
      const now = this.now()
      const id = store.passages.insert(
        {
          lsh,
          laneId: lane.id,
          gateCode: lane.gateCode,
          direction: lane.direction,
          plate: read.plate,
          plateColour: read.colour,
          recognizedAt: read.at,
          // ERRATA E27: only the recognition moment is known until a barrier reports the passage: send it in both.
          tgsjq: stamp,
          tgsjz: stamp,
          ...outcome,
          decidedOffline: source !== 'platform',
          verdict,
          bgzt,
          source: read.source
        },
        now
      )
      const recordRow = store.outbox.add(
        {
          kind: 'shareDrivingRecord',
          idemKey: lsh,
          passageId: id,
          payload: drivingRecordValue(enterprise, {
            lsh,
            gateCode: lane.gateCode,
            plate: read.plate,
            plateColour: read.colour,
            tgsjq: stamp,
            tgsjz: stamp,
            direction: lane.direction,
            bgzt
          })
        },
        now
      )
      for (const photo of photos) {
        // Written and fsynced before its row exists: a crash here leaves an orphan file, never a dangling row.
        const file = store.photoFiles.write(day, `${lsh}_${photo.zpbh}.jpg`, photo.jpeg)
        const photoId = store.photos.insert({ ...file, passageId: id, zpbh: photo.zpbh, zplx: lane.direction === 'in' ? '1' : '2', takenAt: read.at })
        store.outbox.add(
          {
            kind: 'sharePhotoInfo',
            idemKey: `${lsh}_${photo.zpbh}`,
            passageId: id,
            photoId,
            afterId: recordRow,
            payload: photoRecordValue(enterprise, {
              lsh,
              gateCode: lane.gateCode,
              plate: read.plate,
              plateColour: read.colour,
              zpbh: photo.zpbh,
              direction: lane.direction,
              forced: false,
              pzsj: stamp
            })
          },
          now
        )
      }
      return id
    })

    const passage = store.passages.get(passageId)
    if (!passage) throw new Error(`passage ${passageId} vanished after commit`)
    this.options.onRecorded(passage)
    return { passage, warnings }
  }

  private async verify(plate: string, colour: string): Promise<{ verdict: Verdict | null; source: VerdictSource }> {
    const { verifier, verifyBudgetMs, store } = this.options
    try {
      const verdict = await withinBudget(verifier.checkVehicle(plate, colour, verifyBudgetMs), verifyBudgetMs)
      store.verificationCache.put(plate, colour, verdict, this.now())
      return { verdict, source: 'platform' }
    } catch (error) {
      if (!(error instanceof PlatformUnavailableError)) throw error
      this.options.log?.(`getCheckVehicle ${plate}: ${error.message}; deciding offline`)
      const cached = store.verificationCache.get(plate, colour)
      return cached ? { verdict: cached.verdict, source: 'cache' } : { verdict: null, source: 'none' }
    }
  }

  private uniqueLsh(lane: LaneConfig, at: number): string {
    for (let bump = 0; bump <= MAX_LSH_BUMP_SECONDS; bump++) {
      const lsh = makeLsh({ enterpriseCode: this.options.enterprise.code, gateCode: lane.gateCode, direction: lane.direction, at: new Date(at + bump * 1000) })
      if (!this.options.store.passages.lshExists(lsh)) return lsh
    }
    throw new Error(`no free serial number within an hour of ${new Date(at).toISOString()} on gate ${lane.gateCode}`)
  }
}

function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformUnavailableError(`no verdict within ${budgetMs} ms`)), budgetMs)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
