import type { Db } from './db'

/** A passage with an upload the platform has not accepted (pending, or a dead letter). */
const UNSENT = `EXISTS (SELECT 1 FROM outbox o WHERE o.passage_id = p.id AND o.state != 'done')`

/** The retention sweep's deletes: old passages whose every upload was accepted, with their photos' and uploads' rows. */
export class RetentionDeletes {
  constructor(private readonly db: Db) {}

  /**
   * Deletes up to `batchSize` passages recognised before `cutoffMs` with every upload accepted, oldest first, with
   * their photo, clip and outbox rows, in one transaction. Returns how many passages went and the photo and clip
   * files (relative paths) the caller removes after the commit.
   */
  deleteUploadedBatch(cutoffMs: number, batchSize: number): { passages: number; photoPaths: string[]; clipPaths: string[] } {
    return this.db.transaction(() => {
      const ids = this.db.prepare(`SELECT p.id FROM passages p WHERE p.recognized_at < ? AND NOT ${UNSENT} ORDER BY p.recognized_at LIMIT ?`).pluck().all(cutoffMs, batchSize) as number[]
      if (ids.length === 0) return { passages: 0, photoPaths: [], clipPaths: [] }
      const list = JSON.stringify(ids)
      const photoPaths = this.db.prepare(`SELECT path FROM photos WHERE passage_id IN (SELECT value FROM json_each(?))`).pluck().all(list) as string[]
      const clipPaths = this.db.prepare(`SELECT path FROM passage_clips WHERE path IS NOT NULL AND passage_id IN (SELECT value FROM json_each(?))`).pluck().all(list) as string[]
      this.db.prepare(`DELETE FROM passage_clips WHERE passage_id IN (SELECT value FROM json_each(?))`).run(list)
      this.db.prepare(`DELETE FROM outbox WHERE passage_id IN (SELECT value FROM json_each(?))`).run(list)
      this.db.prepare(`DELETE FROM photos WHERE passage_id IN (SELECT value FROM json_each(?))`).run(list)
      this.db.prepare(`DELETE FROM passages WHERE id IN (SELECT value FROM json_each(?))`).run(list)
      return { passages: ids.length, photoPaths, clipPaths }
    })()
  }

  /** Passages recognised before `cutoffMs` still waiting to upload (or dead letters): kept, whatever their age. */
  keptUnsent(cutoffMs: number): number {
    return this.db.prepare(`SELECT COUNT(*) FROM passages p WHERE p.recognized_at < ? AND ${UNSENT}`).pluck().get(cutoffMs) as number
  }
}
