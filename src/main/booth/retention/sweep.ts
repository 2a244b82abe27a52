import { readdirSync, rmdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../store'

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

/**
 * Deletes records and photos older than the cutoff AND fully uploaded, in batches of one transaction each. A record
 * with any outbox row not yet accepted (pending, or a dead letter) is kept with its photos and clips. Photo and clip
 * files are removed after their rows are gone, then empty day folders.
 */
export function sweepRetention(store: Store, cutoff: Date, batchSize = 500): SweepResult {
  const cutoffMs = cutoff.getTime()
  let passagesDeleted = 0
  let photosDeleted = 0
  for (;;) {
    const batch = store.retention.deleteUploadedBatch(cutoffMs, batchSize)
    if (batch.passages === 0) break
    for (const path of batch.photoPaths) removeFile(join(store.photoFiles.root, path))
    for (const path of batch.clipPaths) removeFile(join(store.clipRoot, path))
    passagesDeleted += batch.passages
    photosDeleted += batch.photoPaths.length
  }
  removeEmptyDayFolders(store.photoFiles.root)
  removeEmptyDayFolders(store.clipRoot)
  return { passagesDeleted, photosDeleted, passagesKeptUnsent: store.retention.keptUnsent(cutoffMs), cutoff: cutoff.toISOString() }
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
