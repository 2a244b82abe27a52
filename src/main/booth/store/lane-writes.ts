import type { Decision, PhotoNumber, Verdict } from '@shared/contract'
import type { CameraReads } from './camera-reads'
import type { Db } from './db'
import type { ManualActions, NewManualAction } from './manual-actions'
import type { Ledgers } from './ledgers'
import type { Outbox, PassagePatch } from './outbox'
import type { NewPassage, PassageOutcome, Passages } from './passages'
import type { PhotoFiles, Photos } from './photos'
import type { VerificationCache } from './verification-cache'

/** A photo of a passage as the lane hands it over: the file to write, its row and its upload's payload. */
export interface PassagePhotoWrite {
  zpbh: PhotoNumber
  zplx: string
  jpeg: Uint8Array
  takenAt: number
  /** The day folder (yyyy-MM-dd) and file name under the photo root. */
  day: string
  fileName: string
  /** The sharePhotoInfo value, without the image; null for the plate close-up, which is not uploaded. */
  payload: Record<string, string> | null
}

export interface PassageWrite {
  passage: NewPassage
  /** The shareDrivingRecord value. */
  record: Record<string, string>
  photos: readonly PassagePhotoWrite[]
  /** A fresh platform verdict, cached with the passage. */
  verdict: { plate: string; colour: string; verdict: Verdict } | null
  /** The camera read this passage is of (camera_reads): marked with the passage in the same transaction, so a
   * camera re-sending the read after a crash finds the passage and never makes a second one. */
  inboxId?: number
}

/**
 * The lane's writes, each one SQLite transaction: the booth's lanes always run on this store, so these stay
 * synchronous (a passage is on disk before the camera gets its answer). Uploads are held until the barrier outcome is
 * known (`finalizePassage`). Photo files are written and fsynced before the rows naming them commit: a failure (disk
 * full) rolls the whole write back and leaves at worst a file without a row.
 */
export class LaneWrites {
  constructor(
    private readonly db: Db,
    private readonly tables: {
      passages: Passages
      photos: Photos
      photoFiles: PhotoFiles
      outbox: Outbox
      verificationCache: VerificationCache
      manualActions: ManualActions
      ledgers: Ledgers
      cameraReads: CameraReads
    },
    /** An edge booth sends each gate's driving records strictly in recording order (docs/plant.md, "Order"). */
    private readonly options: { recordsInGateOrder?: boolean | undefined } = {}
  ) {}

  /** The passage, its photos and their uploads (held), and the verdict it was decided on. Returns the passage id. */
  recordPassage(write: PassageWrite, now: number): number {
    const { passages, outbox, verificationCache, cameraReads } = this.tables
    return this.db.transaction(() => {
      if (write.verdict) verificationCache.put(write.verdict.plate, write.verdict.colour, write.verdict.verdict, now)
      const passageId = passages.insert(write.passage, now)
      const lsh = write.passage.lsh
      const orderKey = this.options.recordsInGateOrder ? { orderKey: write.passage.gateCode } : {}
      const recordRow = outbox.addHeld({ kind: 'shareDrivingRecord', idemKey: lsh, passageId, payload: write.record, ...orderKey }, now)
      for (const photo of write.photos) this.addPhotoRow(passageId, lsh, photo, recordRow, true, now)
      if (write.inboxId !== undefined) cameraReads.recorded(write.inboxId, passageId, now)
      return passageId
    })()
  }

  /**
   * A photo taken again for a recorded passage, with the guard's action, uploaded after the passage's record (held
   * with its rows while the barrier outcome is pending).
   */
  addPassagePhoto(passageId: number, photo: PassagePhotoWrite, action: NewManualAction, now: number): void {
    const { passages, outbox, manualActions } = this.tables
    this.db.transaction(() => {
      const passage = passages.get(passageId)
      const record = outbox.recordRowOf(passageId)
      if (!passage || !record) throw new Error(`passage ${passageId} has no driving record row`)
      this.addPhotoRow(passageId, passage.lsh, photo, record.id, record.held, now)
      manualActions.add(action, now)
    })()
  }

  /** The barrier outcome: the passage completed, its pending uploads patched and released. */
  finalizePassage(passageId: number, outcome: PassageOutcome, patch: PassagePatch, now: number): void {
    const { passages, photos, outbox } = this.tables
    this.db.transaction(() => {
      passages.finalize(passageId, outcome)
      if (outcome.forced) photos.setZplx(passageId, '3')
      outbox.patchPassage(passageId, patch, now, true)
    })()
  }

  /** Passages whose barrier outcome never came (the booth stopped mid-passage): their uploads released as recorded. */
  releaseHeldPassages(now: number): number[] {
    const { outbox } = this.tables
    return this.db.transaction(() => {
      const ids = outbox.heldPassageIds()
      for (const id of ids) outbox.patchPassage(id, {}, now, true)
      return ids
    })()
  }

  /** A guard's decision replaces the automatic one, with the action (who, why, what it was before) in the audit. */
  decideManually(passageId: number, decision: { decision: Decision; reasonCode: string; reasonText: string }, action: NewManualAction, now: number): void {
    const { passages, manualActions } = this.tables
    this.db.transaction(() => {
      manualActions.add(action, now)
      passages.setDecision(passageId, decision)
    })()
  }

  /**
   * A misread corrected: the passage keeps both plates; with `uploadsToo` (its record not yet accepted) its pending
   * uploads and its goods carry the corrected plate.
   */
  correctPassagePlate(input: { passageId: number; plate: string; colour: string; uploadsToo: boolean }, action: NewManualAction, now: number): void {
    const { passages, outbox, ledgers, manualActions } = this.tables
    const { passageId, plate, colour } = input
    this.db.transaction(() => {
      passages.correctPlate(passageId, plate, colour)
      if (input.uploadsToo) {
        const fields = { cphm: plate, cpys: colour }
        outbox.patchPassage(passageId, { shareDrivingRecord: fields, sharePhotoInfo: fields, shareGoodsRecord: fields }, now, false)
        ledgers.correctGoodsPlate(passageId, plate, colour)
      }
      manualActions.add(action, now)
    })()
  }

  private addPhotoRow(passageId: number, lsh: string, photo: PassagePhotoWrite, recordRow: number, held: boolean, now: number): void {
    const { photos, photoFiles, outbox } = this.tables
    // Written and fsynced before its row exists: a crash here leaves an orphan file, never a dangling row.
    const file = photoFiles.write(photo.day, photo.fileName, photo.jpeg)
    const photoId = photos.insert({ ...file, passageId, zpbh: photo.zpbh, zplx: photo.zplx, takenAt: photo.takenAt })
    if (!photo.payload) return
    const row = { kind: 'sharePhotoInfo' as const, idemKey: `${lsh}_${photo.zpbh}`, passageId, photoId, afterId: recordRow, payload: photo.payload }
    if (held) outbox.addHeld(row, now)
    else outbox.add(row, now)
  }
}
