import { createHash } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { PhotoForUpload, SweepResult, UploadPhotos } from '../../core/sync/queue'
import type { Outbox } from './outbox'
import { sweepPhotoStore } from './photo-sweep'
import { withStatementCache, type Db } from './db'

export interface StoredPhotoFile {
  /** Relative to the photo root, e.g. 2026-11-24/411002000101A261124093015_1.jpg */
  path: string
  sha256: string
  bytes: number
}

export interface NewPhoto extends StoredPhotoFile {
  passageId: number
  zpbh: string
  zplx: string
  takenAt: number
}

export interface PhotoRecord extends NewPhoto {
  id: number
}

/**
 * JPEG files under the photo root, laid out by day. A file is written to a temporary name, fsynced, renamed and
 * its folder fsynced before any row points to it, so a crash leaves at worst an orphan file, never a row without
 * its photo.
 */
export class PhotoFiles {
  /**
   * `writeBytes` is the one write call; injectable so a disk-full (ENOSPC) failure can be produced in tests. `fsync`
   * flushes a written file and its folder; a benchmark seeding a backlog in batches injects one that leaves it to a
   * file-system sync per batch.
   */
  constructor(
    readonly root: string,
    private readonly writeBytes: (fd: number, bytes: Uint8Array) => void = (fd, bytes) => void writeSync(fd, bytes),
    private readonly fsync: (fd: number) => void = fsyncSync
  ) {}

  write(day: string, name: string, bytes: Uint8Array): StoredPhotoFile {
    const dir = join(this.root, day)
    mkdirSync(dir, { recursive: true })
    const finalPath = join(dir, name)
    const tempPath = `${finalPath}.tmp`
    const fd = openSync(tempPath, 'w')
    try {
      this.writeBytes(fd, bytes)
      this.fsync(fd)
    } catch (error) {
      closeSync(fd)
      rmSync(tempPath, { force: true })
      throw error
    }
    closeSync(fd)
    renameSync(tempPath, finalPath)
    this.fsyncDirectory(dir)
    return { path: relative(this.root, finalPath), sha256: sha256Hex(bytes), bytes: bytes.byteLength }
  }

  /** Reads a stored photo back and checks it is still the file that was recorded. */
  read(photo: StoredPhotoFile): Buffer {
    return checked(photo, readFileSync(join(this.root, photo.path)))
  }

  /** `read` off the event loop: the sync worker reads a whole backlog of photos while other calls are in flight. */
  async readAsync(photo: StoredPhotoFile): Promise<Buffer> {
    return checked(photo, await readFile(join(this.root, photo.path)))
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path))
  }

  /** Every file under the root (relative paths), including unfinished `.tmp` writes. */
  list(): string[] {
    if (!existsSync(this.root)) return []
    return (readdirSync(this.root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)))
  }

  remove(path: string): void {
    rmSync(join(this.root, path), { force: true })
  }

  private fsyncDirectory(dir: string): void {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform === 'win32') return
    const fd = openSync(dir, 'r')
    try {
      this.fsync(fd)
    } finally {
      closeSync(fd)
    }
  }
}

export class Photos {
  private readonly db: Db

  constructor(db: Db) {
    this.db = withStatementCache(db)
  }

  insert(photo: NewPhoto): number {
    const result = this.db
      .prepare(
        `INSERT INTO photos (passage_id, zpbh, zplx, path, sha256, bytes, taken_at)
         VALUES (@passageId, @zpbh, @zplx, @path, @sha256, @bytes, @takenAt)`
      )
      .run(photo)
    return Number(result.lastInsertRowid)
  }

  /** B7.3 photo type of every photo of a passage (3 when it turns out to be a forced pass). */
  setZplx(passageId: number, zplx: string): void {
    this.db.prepare(`UPDATE photos SET zplx = ? WHERE passage_id = ?`).run(zplx, passageId)
  }

  forPassage(passageId: number): PhotoRecord[] {
    return this.db
      .prepare(
        `SELECT id, passage_id AS passageId, zpbh, zplx, path, sha256, bytes, taken_at AS takenAt FROM photos WHERE passage_id = ? ORDER BY zpbh`
      )
      .all(passageId) as PhotoRecord[]
  }

  get(id: number): PhotoRecord | null {
    const row = this.db
      .prepare(
        `SELECT id, passage_id AS passageId, zpbh, zplx, path, sha256, bytes, taken_at AS takenAt FROM photos WHERE id = ?`
      )
      .get(id) as PhotoRecord | undefined
    return row ?? null
  }

  /** Every path a photo row points to. */
  paths(): Set<string> {
    return new Set((this.db.prepare(`SELECT path FROM photos`).pluck().all() as string[]))
  }
}

/** The sync worker's photo reads: the row, then its file off the event loop, checked against the recorded sha256. */
export class PhotoUploads implements UploadPhotos {
  constructor(
    private readonly photos: Photos,
    private readonly files: PhotoFiles,
    private readonly outbox: Outbox
  ) {}

  async sweep(): Promise<SweepResult> {
    return sweepPhotoStore({ photos: this.photos, photoFiles: this.files, outbox: this.outbox })
  }

  async forUpload(photoId: number): Promise<PhotoForUpload> {
    const photo = this.photos.get(photoId)
    if (!photo) return { problem: '照片记录丢失' }
    try {
      return { jpeg: await this.files.readAsync(photo) }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return { problem: code === 'ENOENT' ? `照片文件丢失：${photo.path}` : `照片文件已损坏或无法读取：${(error as Error).message}` }
    }
  }
}

function checked(photo: StoredPhotoFile, bytes: Buffer): Buffer {
  if (sha256Hex(bytes) !== photo.sha256) throw new Error(`photo ${photo.path} changed on disk (sha256 mismatch)`)
  return bytes
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
