import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, normalize } from 'node:path'
import type { PhotoForUpload, SweepResult, UploadPhotos } from '../../core/sync/queue'
import type { Pool } from './pool'

/** The photos' bytes at the plant: files under `photosDir` (as the booths sent them), indexed in the photos table. */
export class PgUploadPhotos implements UploadPhotos {
  constructor(
    private readonly pool: Pool,
    private readonly photosDir: string
  ) {}

  private fileOf(path: string): string | null {
    const relative = normalize(path)
    return isAbsolute(relative) || relative.startsWith('..') ? null : join(this.photosDir, relative)
  }

  async forUpload(photoId: number): Promise<PhotoForUpload> {
    const row = (await this.pool.query<{ path: string; sha256: string }>('SELECT path, sha256 FROM photos WHERE id = $1', [photoId])).rows[0]
    if (!row) return { problem: '照片记录不存在' }
    const file = this.fileOf(row.path)
    if (!file) return { problem: '照片路径无效' }
    const jpeg = await readFile(file).catch(() => null)
    if (!jpeg) return { problem: '照片文件丢失' }
    if (createHash('sha256').update(jpeg).digest('hex') !== row.sha256) return { problem: '照片文件已损坏（校验值不符）' }
    return { jpeg }
  }

  /**
   * A passage's photos for the workspace's viewer, each checked against the SHA-256 its booth sent; a file missing or
   * damaged is left out and named in `problems`.
   */
  async ofPassage(passageId: number): Promise<{ photos: { zpbh: string; zplx: string; takenAt: number; jpeg: Buffer }[]; problems: string[] }> {
    const { rows } = await this.pool.query<{ id: string; zpbh: string; zplx: string; taken_at: string }>(
      'SELECT id, zpbh, zplx, taken_at FROM photos WHERE passage_id = $1 ORDER BY zpbh',
      [passageId]
    )
    const photos = []
    const problems = []
    for (const row of rows) {
      const read = await this.forUpload(Number(row.id))
      if ('jpeg' in read) photos.push({ zpbh: row.zpbh, zplx: row.zplx, takenAt: Number(row.taken_at), jpeg: read.jpeg })
      else problems.push(`照片 ${row.zpbh}：${read.problem}`)
    }
    return { photos, problems }
  }

  /** Pending photo uploads whose file is gone become dead letters; the plant keeps no files outside the index. */
  async sweep(): Promise<SweepResult> {
    const { rows } = await this.pool.query<{ id: number; path: string }>(
      `SELECT o.id, ph.path FROM outbox o JOIN photos ph ON ph.id = o.photo_id WHERE o.state = 'pending' AND o.kind = 'sharePhotoInfo'`
    )
    const missing: number[] = []
    for (const row of rows) {
      const file = this.fileOf(row.path)
      if (!file || !(await readFile(file).then(() => true, () => false))) missing.push(row.id)
    }
    if (missing.length > 0) {
      await this.pool.query(
        `UPDATE outbox SET state = 'dead', last_error = '照片文件丢失', dead_fields = '[]', fixable = false WHERE id = ANY($1) AND state = 'pending'`,
        [missing]
      )
    }
    return { orphanFilesQuarantined: [], missingFiles: missing }
  }
}
