import { readdirSync, rmdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../../booth/store'

export interface SweepResult {
  /** Records older than the cutoff whose every upload was accepted: deleted with their photos. */
  passagesDeleted: number
  photosDeleted: number
  /** Records older than the cutoff still waiting to upload (or dead letters): kept, whatever their age. */
  passagesKeptUnsent: number
  cutoff: string
}

/** The instant `months` calendar months before `now` (same day and time; clamped to the month's last day). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now.getTime())
  const day = cutoff.getUTCDate()
  cutoff.setUTCDate(1)
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months)
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate()
  cutoff.setUTCDate(Math.min(day, lastDay))
  return cutoff
}

const UNSENT = `EXISTS (SELECT 1 FROM outbox o WHERE o.passage_id = p.id AND o.state != 'done')`

/**
 * Deletes records and photos older than the cutoff AND fully uploaded, in batches of one transaction each. A record
 * with any outbox row not yet accepted (pending, or a dead letter) is kept with its photos. Photo files are removed
 * after their rows are gone, then empty day folders.
 */
export function sweepRetention(store: Store, cutoff: Date, batchSize = 500): SweepResult {
  const { db } = store
  const cutoffMs = cutoff.getTime()
  const pickBatch = db.prepare(`SELECT p.id FROM passages p WHERE p.recognized_at < ? AND NOT ${UNSENT} ORDER BY p.recognized_at LIMIT ?`).pluck()
  const countKept = db.prepare(`SELECT COUNT(*) FROM passages p WHERE p.recognized_at < ? AND ${UNSENT}`).pluck()
  let passagesDeleted = 0
  let photosDeleted = 0
  for (;;) {
    const ids = pickBatch.all(cutoffMs, batchSize) as number[]
    if (ids.length === 0) break
    const list = JSON.stringify(ids)
    const paths = store.transaction(() => {
      const files = db.prepare(`SELECT path FROM photos WHERE passage_id IN (SELECT value FROM json_each(?))`).pluck().all(list) as string[]
      db.prepare(`DELETE FROM outbox WHERE passage_id IN (SELECT value FROM json_each(?))`).run(list)
      db.prepare(`DELETE FROM photos WHERE passage_id IN (SELECT value FROM json_each(?))`).run(list)
      db.prepare(`DELETE FROM passages WHERE id IN (SELECT value FROM json_each(?))`).run(list)
      return files
    })
    for (const path of paths) removeFile(join(store.photoFiles.root, path))
    passagesDeleted += ids.length
    photosDeleted += paths.length
  }
  removeEmptyDayFolders(store.photoFiles.root)
  return { passagesDeleted, photosDeleted, passagesKeptUnsent: countKept.get(cutoffMs) as number, cutoff: cutoff.toISOString() }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

function removeEmptyDayFolders(root: string): void {
  let days: string[]
  try {
    days = readdirSync(root)
  } catch {
    return
  }
  for (const day of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue
    try {
      if (readdirSync(join(root, day)).length === 0) rmdirSync(join(root, day))
    } catch {
      // A folder being written to right now, or not a folder: leave it.
    }
  }
}
