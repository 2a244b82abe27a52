import type { Passage } from '@shared/contract'
import type { PlateRead, PlateReadResult, ReadPhoto } from '../lane'
import type { CameraReadRow, CameraReads, InboxPhoto, InboxPhotoFiles } from '../store'
import type { CameraRead } from './camera-read'

/** Decided reads are kept this long for recognising re-sends (a camera's offline store re-sends within days). */
const KEEP_DECIDED_MS = 30 * 24 * 3600_000

export interface CameraInboxOptions {
  reads: CameraReads
  photos: InboxPhotoFiles
  passages: { get(id: number): Passage | null }
  lanes: { handlePlateRead(read: PlateRead): Promise<PlateReadResult> }
  /** laneTiming.dedupWindowMs: the same plate read within this time is the same truck. */
  dedupWindowMs: number
  /** How far a camera's time may be from the booth's before the booth's time is used (lanes[].camera.maxClockSkewMs). */
  clockToleranceMs(laneId: string): number
  alarms: { cameraClock(input: { laneId: string; cameraAt: number; boothAt: number }): unknown }
  /** The booth's platform-corrected clock. */
  now(): number
  log(line: string): void
}

/**
 * Exactly once at the camera boundary. A camera read becomes durable (its photos fsynced into the inbox folder, its
 * row in `camera_reads`) before the lane sees it, so:
 * - a read that repeats an earlier one — the same camera event, the same camera time, or the same plate within the
 *   dedup window — answers with what the earlier one became, even after a crash and restart;
 * - the row is marked with its passage in the transaction that records the passage (LaneDriver), so a crash either
 *   leaves both or neither;
 * - a read still undecided at a crash (queued, or being verified) is handed to its lane again at start (`resume`).
 * The caller answers the camera 2xx only once `accept` resolved; if it throws, the read is not lost: the camera
 * sends it again, or the next start decides it.
 */
export class CameraInbox {
  /** Reads being handled in this process, by row: a re-send waits for the original instead of starting again. */
  private readonly live = new Map<number, Promise<PlateReadResult>>()

  constructor(private readonly options: CameraInboxOptions) {}

  async accept(read: CameraRead): Promise<PlateReadResult> {
    const { reads, photos, dedupWindowMs } = this.options
    const receivedAt = this.options.now()
    const key = { laneId: read.laneId, eventId: read.eventId, plate: read.plate, at: this.timeOf(read, receivedAt), cameraAt: read.cameraAt }
    const earlier = reads.findRepeat(key, dedupWindowMs)
    if (earlier) return this.repeat(earlier)
    const files = await photos.write(read.photos)
    const added = reads.addUnlessRepeat({ ...key, colour: read.colour, source: read.source, photos: files, receivedAt, vehicleClass: read.vehicleClass ?? null }, dedupWindowMs)
    if ('repeat' in added) {
      this.removePhotos(files)
      return this.repeat(added.repeat)
    }
    return this.track(added.id, this.handle(added.id, { laneId: read.laneId, plate: read.plate, colour: read.colour, at: key.at, source: 'lpr', photos: read.photos, vehicleClass: read.vehicleClass ?? null }, files))
  }

  /**
   * At start: hands every read not decided before the last stop to its lane, oldest first (the first takes the lane,
   * the rest queue behind it as they did), and clears what is no longer needed.
   */
  async resume(): Promise<number> {
    const { reads, photos, log } = this.options
    const startedAt = Date.now()
    const pruned = reads.prune(this.options.now() - KEEP_DECIDED_MS)
    const pending = reads.pending()
    const stale = await photos.removeAllBut(new Set(pending.flatMap((row) => row.photos.map((photo) => photo.file))), startedAt)
    if (pruned + stale > 0) log(`camera inbox: ${pruned} old read(s) and ${stale} stale photo file(s) removed`)
    let resumed = 0
    for (const row of pending) {
      if (this.live.has(row.id)) continue
      const jpegs = await this.photosOf(row)
      // A re-send of this read may have taken it up while its photos were read.
      if (this.live.has(row.id) || reads.get(row.id)?.state !== 'pending') continue
      this.track(row.id, this.handle(row.id, plateReadOf(row, jpegs), row.photos)).catch((error: unknown) =>
        log(`camera inbox: read ${row.id} (${row.plate} on ${row.laneId}) could not be decided: ${(error as Error).message}`)
      )
      resumed++
    }
    if (resumed > 0) log(`camera inbox: ${resumed} read(s) not decided at the last stop handed to their lanes`)
    return resumed
  }

  /** The time the lane records: the camera's, unless it is too far from the booth's (then the booth's, and an alarm). */
  private timeOf(read: CameraRead, boothAt: number): number {
    if (read.cameraAt === null) return boothAt
    if (Math.abs(read.cameraAt - boothAt) <= this.options.clockToleranceMs(read.laneId)) return read.cameraAt
    this.options.log(`camera on ${read.laneId} sent time ${new Date(read.cameraAt).toISOString()}, booth time ${new Date(boothAt).toISOString()}: booth time used`)
    this.options.alarms.cameraClock({ laneId: read.laneId, cameraAt: read.cameraAt, boothAt })
    return boothAt
  }

  /**
   * What an earlier read became, for a read that repeats it. One still being handled is waited for; one kept but
   * not decided (its lane failed to record it, or it was cut off by a stop) is handed to its lane again now.
   */
  private async repeat(row: CameraReadRow): Promise<PlateReadResult> {
    if (row.state === 'pending') {
      const live = this.live.get(row.id)
      if (!live) return this.track(row.id, this.photosOf(row).then((jpegs) => this.handle(row.id, plateReadOf(row, jpegs), row.photos)))
      const original = await live
      const passage = original.passage ?? this.passageOf(row.id)
      return { outcome: 'merged', passage, warnings: [], decided: passage ? Promise.resolve(passage) : original.decided }
    }
    const passage = this.passageOf(row.id)
    return { outcome: 'merged', passage, warnings: [], decided: Promise.resolve(passage) }
  }

  private passageOf(id: number): Passage | null {
    const passageId = this.options.reads.get(id)?.passageId ?? null
    return passageId === null ? null : this.options.passages.get(passageId)
  }

  private track(id: number, handling: Promise<PlateReadResult>): Promise<PlateReadResult> {
    this.live.set(id, handling)
    const forget = () => {
      if (this.live.get(id) === handling) this.live.delete(id)
    }
    // A queued read stays live until its turn has come and gone; any other once the lane has answered.
    handling.then((result) => (result.outcome === 'queued' ? result.decided.then(forget, forget) : forget()), forget)
    return handling
  }

  private async handle(id: number, read: PlateRead, files: InboxPhoto[]): Promise<PlateReadResult> {
    const { reads, lanes } = this.options
    const result = await lanes.handlePlateRead({ ...read, inboxId: id })
    if (result.outcome === 'merged') reads.merged(id, result.passage?.id ?? null, this.options.now())
    const done = result.outcome === 'queued' ? result.decided.catch(() => null) : Promise.resolve()
    void done.then(() => {
      // Once decided the photos are the passage's (or were a duplicate's); a read still pending keeps them.
      let decided: boolean
      try {
        decided = reads.get(id)?.state !== 'pending'
      } catch {
        return // the store closed meanwhile: the next start clears what is stale
      }
      if (decided) this.removePhotos(files)
    })
    return result
  }

  private async photosOf(row: CameraReadRow): Promise<ReadPhoto[]> {
    try {
      return await this.options.photos.read(row.photos)
    } catch (error) {
      this.options.log(`camera inbox: photos of read ${row.id} (${row.plate}) unreadable, deciding it without them: ${(error as Error).message}`)
      return []
    }
  }

  private removePhotos(files: InboxPhoto[]): void {
    if (files.length === 0) return
    this.options.photos.remove(files).catch((error: unknown) => this.options.log(`camera inbox: photo files not removed: ${(error as Error).message}`))
  }
}

function plateReadOf(row: CameraReadRow, photos: ReadPhoto[]): PlateRead {
  return { laneId: row.laneId, plate: row.plate, colour: row.colour, at: row.at, source: 'lpr', photos, vehicleClass: row.vehicleClass ?? null }
}
