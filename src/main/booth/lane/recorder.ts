import { photoName, PLATE_CLOSEUP_ZPBH, type Decision, type Passage, type PhotoNumber, type Verdict, type VehicleClass } from '@shared/contract'
import { formatSpecDate, formatSpecDateTime, makeLsh, zplxOf } from '@shared/spec'
import type { LaneConfig } from '../../core/config'
import { jpegProblem } from '../../core/photos/jpeg'
import { drivingRecordValue, photoRecordValue, type Enterprise } from '../../core/platform'
import type { NewManualAction, Store } from '../store'
import { gateSignalOf, type PassOutcome, type RaiseSource } from './machine'
import { isoOf } from '../../core/time'

/** Seconds an lsh may be pushed forward to stay unique (ERRATA E16: bump the timestamp, never lengthen it). */
const MAX_LSH_BUMP_SECONDS = 3600

export interface ReadPhoto {
  /** 1 front, 2 rear, or the plate close-up (kept for the guard, not uploaded). */
  zpbh: PhotoNumber
  jpeg: Uint8Array
}

export interface NewLanePassage {
  lane: LaneConfig
  plate: string
  colour: string
  at: number
  source: 'manual' | 'lpr'
  photos: ReadPhoto[]
  decision: { decision: Decision; reasonCode: string; reasonText: string }
  decidedOffline: boolean
  verdict: Verdict | null
  /** The verdict is the platform's fresh answer: cached with the passage for deciding offline later. */
  cacheVerdict: boolean
  /** The camera read (camera_reads) the passage is of, if it came through the inbox. */
  inboxId?: number
  /** The vehicle's class as the camera saw it: kept on the passage, never in the upload. */
  vehicleClass?: VehicleClass | null
}

/**
 * Writes passages: at the decision, the passage, its photos and their outbox rows in one transaction, the rows held
 * back; when the barrier outcome is known, bgzt/gateSignal/tgsjz (and zplx 3 for a forced pass) are written into the
 * passage and its rows, and the rows released to the sync worker.
 */
export class PassageRecorder {
  constructor(
    private readonly store: Store,
    private readonly enterprise: Enterprise,
    private readonly now: () => number
  ) {}

  /** Returns the new passage's id and the problems with photos that were left out. */
  record(input: NewLanePassage): { passageId: number; warnings: string[] } {
    const { enterprise } = this
    const { lane } = input
    const warnings: string[] = []
    const photos = input.photos.filter((photo) => {
      const problem = jpegProblem(photo.jpeg)
      if (problem) warnings.push(`${photoName(photo.zpbh)}未保存：${problem}`)
      return problem === null
    })
    const recognizedAt = new Date(input.at)
    const stamp = formatSpecDateTime(recognizedAt)
    const day = formatSpecDate(recognizedAt)
    // Until the barrier reports, the arm has not been seen to rise (ERRATA E18, E27: one moment known, sent in both).
    const bgzt = '0'
    // Chosen and written in one synchronous step (nothing else of this process runs in between); lsh is UNIQUE besides.
    const lsh = this.uniqueLsh(lane, input.at)
    const common = { lsh, gateCode: lane.gateCode, plate: input.plate, plateColour: input.colour }
    const passageId = this.store.lane.recordPassage(
      {
        passage: {
          lsh,
          laneId: lane.id,
          gateCode: lane.gateCode,
          direction: lane.direction,
          plate: input.plate,
          plateColour: input.colour,
          recognizedAt: input.at,
          tgsjq: stamp,
          tgsjz: stamp,
          ...input.decision,
          decidedOffline: input.decidedOffline,
          verdict: input.verdict,
          bgzt,
          source: input.source,
          vehicleClass: input.vehicleClass ?? null
        },
        record: drivingRecordValue(enterprise, { ...common, tgsjq: stamp, tgsjz: stamp, direction: lane.direction, bgzt }),
        photos: photos.map((photo) => ({
          zpbh: photo.zpbh,
          zplx: zplxOf(lane.direction, false),
          jpeg: photo.jpeg,
          takenAt: input.at,
          day,
          fileName: `${lsh}_${photo.zpbh}.jpg`,
          payload: photo.zpbh === PLATE_CLOSEUP_ZPBH ? null : photoRecordValue(enterprise, { ...common, zpbh: photo.zpbh, direction: lane.direction, forced: false, pzsj: stamp })
        })),
        verdict: input.cacheVerdict && input.verdict ? { plate: input.plate, colour: input.colour, verdict: input.verdict } : null,
        ...(input.inboxId !== undefined ? { inboxId: input.inboxId } : {})
      },
      this.now()
    )
    return { passageId, warnings }
  }

  /**
   * A photo taken again for a recorded passage (the guard's 重新抓拍), stored as its first free photo number (1 front,
   * 2 rear) with the guard's `action`, and uploaded after the passage's record; held with the passage's rows while its
   * barrier outcome is pending. A problem (in Chinese) instead when the passage already has both photos or the JPEG is
   * unusable.
   */
  addPhoto(passageId: number, jpeg: Uint8Array, at: number, action: Omit<NewManualAction, 'reason'>): { zpbh: '1' | '2' } | { problem: string } {
    const { store, enterprise } = this
    const problem = jpegProblem(jpeg)
    if (problem) return { problem }
    const passage = this.passage(passageId)
    const taken = new Set(store.photos.forPassage(passageId).map((photo) => photo.zpbh))
    const zpbh = (['1', '2'] as const).find((number) => !taken.has(number))
    if (!zpbh) return { problem: '该车辆已有前后两张照片' }
    const forced = passage.forced === true
    const payload = photoRecordValue(enterprise, {
      lsh: passage.lsh,
      gateCode: passage.gateCode,
      plate: passage.plate,
      plateColour: passage.plateColour,
      zpbh,
      direction: passage.direction,
      forced,
      pzsj: formatSpecDateTime(new Date(at))
    })
    const photo = {
      zpbh,
      zplx: forced ? '3' : zplxOf(passage.direction, false),
      jpeg,
      takenAt: at,
      day: formatSpecDate(new Date(passage.recognizedAt)),
      fileName: `${passage.lsh}_${zpbh}.jpg`,
      payload
    }
    store.lane.addPassagePhoto(passageId, photo, { ...action, reason: `zpbh ${zpbh}` }, this.now())
    return { zpbh }
  }

  /** The barrier outcome is known: complete the passage and let its uploads go. */
  finalize(passageId: number, outcome: PassOutcome, at: number, raiseSource: RaiseSource | null = null): Passage {
    const { bgzt, gateSignal } = gateSignalOf(outcome)
    const tgsjz = formatSpecDateTime(new Date(at))
    const forced = outcome === 'forced'
    const patch = { shareDrivingRecord: { bgzt, tgsjz }, ...(forced ? { sharePhotoInfo: { zplx: '3' } } : {}) }
    this.store.lane.finalizePassage(passageId, { bgzt, gateSignal, tgsjz, forced, raiseSource }, patch, this.now())
    return this.passage(passageId)
  }

  /** Passages whose outcome never came (the booth stopped mid-passage): released as they were recorded (bgzt 0). */
  releaseOrphans(): number[] {
    return this.store.lane.releaseHeldPassages(this.now())
  }

  passage(id: number): Passage {
    const passage = this.store.passages.get(id)
    if (!passage) throw new Error(`passage ${id} vanished after commit`)
    return passage
  }

  private uniqueLsh(lane: LaneConfig, at: number): string {
    for (let bump = 0; bump <= MAX_LSH_BUMP_SECONDS; bump++) {
      const lsh = makeLsh({ enterpriseCode: this.enterprise.code, gateCode: lane.gateCode, direction: lane.direction, at: new Date(at + bump * 1000) })
      if (!this.store.passages.lshExists(lsh)) return lsh
    }
    throw new Error(`no free serial number within an hour of ${isoOf(at)} on gate ${lane.gateCode}`)
  }
}
