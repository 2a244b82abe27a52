import type { Store } from '../../booth/store'

export interface SweepResult {
  /** Photo files no row points to (a crash between the fsync and the commit), removed. */
  orphanFilesRemoved: string[]
  /** Pending photo uploads whose file is gone, turned into dead letters. */
  missingFiles: number[]
}

/**
 * Start-up check of the photo store against the database. A photo file is written and fsynced before its row
 * commits, so a crash in between leaves a file without a row: that passage was never recorded (the camera got no
 * answer and the guard saw nothing), so the file is removed. A pending upload whose file vanished (disk repair,
 * someone's hand) cannot be sent: it becomes a dead letter saying so, instead of failing forever.
 */
export function sweepPhotoStore(store: Store): SweepResult {
  const known = store.photos.paths()
  const orphanFilesRemoved = store.photoFiles.list().filter((path) => !known.has(path))
  for (const path of orphanFilesRemoved) store.photoFiles.remove(path)

  const missingFiles: number[] = []
  for (const row of store.outbox.pendingPhotoFiles()) {
    if (row.path !== null && store.photoFiles.exists(row.path)) continue
    store.outbox.markDead(row.id, {
      reason: row.path === null ? '照片记录丢失' : `照片文件丢失：${row.path}`,
      reply: null,
      fields: [{ field: '', message: '照片文件不存在，无法上传' }],
      fixable: false,
      countAttempt: false
    })
    missingFiles.push(row.id)
  }
  return { orphanFilesRemoved, missingFiles }
}
