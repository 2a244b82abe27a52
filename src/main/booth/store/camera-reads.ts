import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { PhotoNumber, VehicleClass } from '@shared/contract'
import type { Db } from './db'

export type CameraReadState = 'pending' | 'recorded' | 'merged'

export interface InboxPhoto {
  zpbh: PhotoNumber
  /** File name under the inbox folder. */
  file: string
}

export interface NewCameraRead {
  laneId: string
  eventId: string | null
  plate: string
  colour: string
  /** The read's time as the lane uses it (the booth's time when the camera's clock was off). */
  at: number
  /** The camera's own time of the read, kept for audit; null when it sent none. */
  cameraAt: number | null
  source: string
  photos: InboxPhoto[]
  receivedAt: number
  /** The vehicle's class as the camera saw it; null when it did not say. */
  vehicleClass?: VehicleClass | null
}

export interface CameraReadRow extends NewCameraRead {
  id: number
  state: CameraReadState
  passageId: number | null
}

interface Row {
  id: number
  lane_id: string
  event_id: string | null
  plate: string
  plate_colour: string
  at: number
  camera_at: number | null
  source: string
  photos: string
  state: CameraReadState
  passage_id: number | null
  received_at: number
  vehicle_class: VehicleClass | null
}

/**
 * Camera reads as they arrived (migration 7), the durable side of "exactly once at the camera boundary": a read is
 * a row (its photos files in the inbox folder) before the lane sees it and before the camera is answered, so a read
 * re-sent after a crash finds its row, and a read not yet decided at a crash is handed to the lane again at start.
 */
export class CameraReads {
  constructor(private readonly db: Db) {}

  /**
   * The earlier read `read` repeats, if any, on the same lane with the same plate: the same camera event, the same
   * camera time (a re-send), or a read within `windowMs` of it.
   */
  findRepeat(read: Pick<NewCameraRead, 'laneId' | 'eventId' | 'plate' | 'at' | 'cameraAt'>, windowMs: number): CameraReadRow | null {
    const row = this.db
      .prepare(
        `SELECT * FROM camera_reads
          WHERE lane_id = @laneId AND plate = @plate
            AND ((@eventId IS NOT NULL AND event_id = @eventId)
                 OR (@cameraAt IS NOT NULL AND camera_at = @cameraAt)
                 OR at BETWEEN @at - @windowMs AND @at + @windowMs)
          ORDER BY id DESC LIMIT 1`
      )
      .get({ laneId: read.laneId, plate: read.plate, eventId: read.eventId, cameraAt: read.cameraAt, at: read.at, windowMs }) as Row | undefined
    return row ? toRead(row) : null
  }

  /** Adds the read unless it repeats one (checked in the same transaction, so two copies at once make one row). */
  addUnlessRepeat(read: NewCameraRead, windowMs: number): { id: number } | { repeat: CameraReadRow } {
    return this.db.transaction(() => {
      const repeat = this.findRepeat(read, windowMs)
      if (repeat) return { repeat }
      const result = this.db
        .prepare(
          `INSERT INTO camera_reads (lane_id, event_id, plate, plate_colour, at, camera_at, source, photos, received_at, vehicle_class)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(read.laneId, read.eventId, read.plate, read.colour, read.at, read.cameraAt, read.source, JSON.stringify(read.photos), read.receivedAt, read.vehicleClass ?? null)
      return { id: Number(result.lastInsertRowid) }
    })()
  }

  /** The read became `passageId`: called in the transaction that records the passage. */
  recorded(id: number, passageId: number, at: number): void {
    this.db.prepare(`UPDATE camera_reads SET state = 'recorded', passage_id = ?, done_at = ? WHERE id = ?`).run(passageId, at, id)
  }

  /** The lane merged the read into another truck's (its passage, once known). */
  merged(id: number, passageId: number | null, at: number): void {
    this.db.prepare(`UPDATE camera_reads SET state = 'merged', passage_id = ?, done_at = ? WHERE id = ? AND state = 'pending'`).run(passageId, at, id)
  }

  get(id: number): CameraReadRow | null {
    const row = this.db.prepare('SELECT * FROM camera_reads WHERE id = ?').get(id) as Row | undefined
    return row ? toRead(row) : null
  }

  /** Reads not decided yet, oldest first. */
  pending(): CameraReadRow[] {
    return (this.db.prepare(`SELECT * FROM camera_reads WHERE state = 'pending' ORDER BY id`).all() as Row[]).map(toRead)
  }

  /** Forgets decided reads received before `before`; a camera re-sends within minutes or days, not months. */
  prune(before: number): number {
    return this.db.prepare(`DELETE FROM camera_reads WHERE state != 'pending' AND received_at < ?`).run(before).changes
  }
}

function toRead(row: Row): CameraReadRow {
  return {
    id: row.id,
    laneId: row.lane_id,
    eventId: row.event_id,
    plate: row.plate,
    colour: row.plate_colour,
    at: row.at,
    cameraAt: row.camera_at,
    source: row.source,
    photos: JSON.parse(row.photos) as InboxPhoto[],
    state: row.state,
    passageId: row.passage_id,
    receivedAt: row.received_at,
    vehicleClass: row.vehicle_class
  }
}

/**
 * The photos of reads not decided yet, as files in the inbox folder, written off the event loop: to a temporary
 * name, fsynced, renamed, the folder fsynced — durable before the read's row names them.
 */
export class InboxPhotoFiles {
  constructor(readonly root: string) {}

  async write(photos: readonly { zpbh: PhotoNumber; jpeg: Uint8Array }[]): Promise<InboxPhoto[]> {
    if (photos.length === 0) return []
    await mkdir(this.root, { recursive: true })
    const stem = randomBytes(8).toString('hex')
    const written: InboxPhoto[] = []
    for (const photo of photos) {
      const file = `${stem}_${photo.zpbh}.jpg`
      const temp = join(this.root, `${file}.tmp`)
      const handle = await open(temp, 'w')
      try {
        await handle.writeFile(photo.jpeg)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, join(this.root, file))
      written.push({ zpbh: photo.zpbh, file })
    }
    await syncFolder(this.root)
    return written
  }

  async read(photos: readonly InboxPhoto[]): Promise<{ zpbh: PhotoNumber; jpeg: Buffer }[]> {
    return Promise.all(photos.map(async (photo) => ({ zpbh: photo.zpbh, jpeg: await readFile(join(this.root, photo.file)) })))
  }

  async remove(photos: readonly InboxPhoto[]): Promise<void> {
    await Promise.all(photos.map((photo) => rm(join(this.root, photo.file), { force: true })))
  }

  /**
   * Deletes every file no pending read names (photos of reads since decided, writes cut off by a crash) that was
   * last written before `before` (epoch ms): a read arriving meanwhile writes its files before its row exists.
   */
  async removeAllBut(keep: ReadonlySet<string>, before: number): Promise<number> {
    let names: string[]
    try {
      names = await readdir(this.root)
    } catch {
      return 0
    }
    let removed = 0
    for (const name of names) {
      if (keep.has(name)) continue
      const path = join(this.root, name)
      const written = await stat(path).then((stats) => stats.mtimeMs, () => Infinity)
      if (written >= before) continue
      await rm(path, { force: true })
      removed++
    }
    return removed
  }
}

async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
