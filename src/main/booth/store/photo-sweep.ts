import { basename, dirname, join } from 'node:path'
import { quarantine } from '../../core/retention/quarantine'
import type { SweepResult } from '../../core/sync/queue'
import type { Outbox } from './outbox'
import type { PhotoFiles, Photos } from './photos'

/**
 * Start-up check of the photo store against the database. A photo file is written and fsynced before its row
 * commits, so a crash in between leaves a file without a row; so does a database restored from an older backup, or
 * one started empty on purpose. Such files are moved to `quarantine/photos/`, never deleted: the booth no longer
 * knows them, a person may still need them. A pending upload whose file vanished (disk repair, someone's hand)
 * cannot be sent: it becomes a dead letter saying so, instead of failing forever.
 */
export function sweepPhotoStore(store: { photos: Photos; photoFiles: PhotoFiles; outbox: Outbox }): SweepResult {
  const known = store.photos.paths()
  const root = store.photoFiles.root
  const orphanFilesQuarantined = store.photoFiles
    .list()
    .filter((path) => !known.has(path))
    .map((path) => quarantine(dirname(root), join(basename(root), path)))

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
  return { orphanFilesQuarantined, missingFiles }
}
