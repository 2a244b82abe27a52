import type { Decision, Passage, Verdict } from '@shared/contract'
import { formatSpecDate, formatSpecDateTime, makeLsh, zplxOf } from '@shared/spec'
import type { LaneConfig } from '../../core/config'
import { jpegProblem } from '../../core/photos/jpeg'
import { drivingRecordValue, photoRecordValue, type Enterprise } from '../../core/platform'
import type { Store } from '../store'
import { gateSignalOf, type PassOutcome } from './machine'
import { isoOf } from '../../core/time'

/** Seconds an lsh may be pushed forward to stay unique (ERRATA E16: bump the timestamp, never lengthen it). */
const MAX_LSH_BUMP_SECONDS = 3600

export interface ReadPhoto {
  zpbh: '1' | '2'
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
    const { store, enterprise } = this
    const { lane } = input
    const warnings: string[] = []
    const photos = input.photos.filter((photo) => {
      const problem = jpegProblem(photo.jpeg)
      if (problem) warnings.push(`${photo.zpbh === '1' ? '前' : '后'}照未保存：${problem}`)
      return problem === null
    })
    const recognizedAt = new Date(input.at)
    const stamp = formatSpecDateTime(recognizedAt)
    const day = formatSpecDate(recognizedAt)
    // Until the barrier reports, the arm has not been seen to rise (ERRATA E18, E27: one moment known, sent in both).
    const bgzt = '0'
    const passageId = store.transaction(() => {
      const lsh = this.uniqueLsh(lane, input.at)
      const now = this.now()
      const id = store.passages.insert(
        {
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
          source: input.source
        },
        now
      )
      const common = { lsh, gateCode: lane.gateCode, plate: input.plate, plateColour: input.colour }
      const recordRow = store.outbox.addHeld(
        { kind: 'shareDrivingRecord', idemKey: lsh, passageId: id, payload: drivingRecordValue(enterprise, { ...common, tgsjq: stamp, tgsjz: stamp, direction: lane.direction, bgzt }) },
        now
      )
      for (const photo of photos) {
        // Written and fsynced before its row exists: a crash here leaves an orphan file, never a dangling row.
        const file = store.photoFiles.write(day, `${lsh}_${photo.zpbh}.jpg`, photo.jpeg)
        const photoId = store.photos.insert({ ...file, passageId: id, zpbh: photo.zpbh, zplx: zplxOf(lane.direction, false), takenAt: input.at })
        store.outbox.addHeld(
          {
            kind: 'sharePhotoInfo',
            idemKey: `${lsh}_${photo.zpbh}`,
            passageId: id,
            photoId,
            afterId: recordRow,
            payload: photoRecordValue(enterprise, { ...common, zpbh: photo.zpbh, direction: lane.direction, forced: false, pzsj: stamp })
          },
          now
        )
      }
      return id
    })
    return { passageId, warnings }
  }

  /**
   * A photo taken again for a recorded passage (the guard's 重新抓拍), stored as its first free photo number (1 front,
   * 2 rear) and uploaded after the passage's record; held with the passage's rows while its barrier outcome is pending.
   * A problem (in Chinese) instead when the passage already has both photos or the JPEG is unusable.
   */
  addPhoto(passageId: number, jpeg: Uint8Array, at: number): { zpbh: '1' | '2' } | { problem: string } {
    const { store, enterprise } = this
    const problem = jpegProblem(jpeg)
    if (problem) return { problem }
    const passage = this.passage(passageId)
    const taken = new Set(store.photos.forPassage(passageId).map((photo) => photo.zpbh))
    const zpbh = (['1', '2'] as const).find((number) => !taken.has(number))
    if (!zpbh) return { problem: '该车辆已有前后两张照片' }
    const record = store.outbox.recordRowOf(passageId)
    if (!record) throw new Error(`passage ${passageId} has no driving record row`)
    const forced = passage.forced === true
    const zplx = forced ? '3' : zplxOf(passage.direction, false)
    const file = store.photoFiles.write(formatSpecDate(new Date(passage.recognizedAt)), `${passage.lsh}_${zpbh}.jpg`, jpeg)
    const photoId = store.photos.insert({ ...file, passageId, zpbh, zplx, takenAt: at })
    const row = {
      kind: 'sharePhotoInfo' as const,
      idemKey: `${passage.lsh}_${zpbh}`,
      passageId,
      photoId,
      afterId: record.id,
      payload: {
        ...photoRecordValue(enterprise, {
          lsh: passage.lsh,
          gateCode: passage.gateCode,
          plate: passage.plate,
          plateColour: passage.plateColour,
          zpbh,
          direction: passage.direction,
          forced,
          pzsj: formatSpecDateTime(new Date(at))
        })
      }
    }
    if (record.held) store.outbox.addHeld(row, this.now())
    else store.outbox.add(row, this.now())
    return { zpbh }
  }

  /** The barrier outcome is known: complete the passage and let its uploads go. */
  finalize(passageId: number, outcome: PassOutcome, at: number): Passage {
    const { store } = this
    const { bgzt, gateSignal } = gateSignalOf(outcome)
    const tgsjz = formatSpecDateTime(new Date(at))
    const forced = outcome === 'forced'
    store.transaction(() => {
      store.passages.finalize(passageId, { bgzt, gateSignal, tgsjz, forced })
      if (forced) store.photos.setZplx(passageId, '3')
      store.outbox.patchPassage(
        passageId,
        (item) => (item.kind === 'shareDrivingRecord' ? { ...item.payload, bgzt, tgsjz } : forced ? { ...item.payload, zplx: '3' } : item.payload),
        this.now(),
        true
      )
    })
    return this.passage(passageId)
  }

  /** Passages whose outcome never came (the booth stopped mid-passage): released as they were recorded (bgzt 0). */
  releaseOrphans(): number[] {
    const ids = this.store.outbox.heldPassageIds()
    for (const id of ids) this.store.outbox.patchPassage(id, (item) => item.payload, this.now(), true)
    return ids
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
