import { createHash } from 'node:crypto'
import { copyFile, mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Role } from '@shared/contract'
import type { PassageUpWire, PhotoHeader } from '../core/plant-link'
import type { PlantStore } from './store'

/** A standalone booth's data as the upgrade reads it (booth/store/plant-export.ts opens one). */
export interface BoothSource {
  passages(afterId: number, limit: number): { lastId: number; passages: PassageUpWire[]; photos: (PhotoHeader & { lsh: string; zpbh: string; file: string })[] }
  users(): { username: string; name: string; role: Role; passwordHash: string }[]
  lists(): { kind: 'white' | 'black'; plate: string; note: string; expiresAt: number | null }[]
  ledgerRows(): { ledger: 'vehicles' | 'innerVehicles' | 'machines'; key: string; fields: Record<string, string> }[]
}

export interface UpgradeReport {
  passages: { accepted: number; duplicate: number }
  photos: { accepted: number; duplicate: number; missingFile: number }
  /** Rows the city platform had accepted before the move: kept as accepted, not sent again. */
  alreadyAtCity: number
  users: number
  lists: number
  ledgerRows: number
}

const FEED_ENTITY = { vehicles: 'registration', innerVehicles: 'innerVehicle', machines: 'machine' } as const
const MOVED_BY = { actorId: null, actorName: '单岗升级导入' }

/**
 * Moves a standalone booth into a new plant: its passages and photos' index (photos copied into the plant's folder),
 * each upload's state (accepted rows stay accepted, the rest go into the plant's outbox), users, lists and the entity
 * ledgers (down the feed to every booth). Runs again without harm: what is there already is `duplicate`.
 */
export async function importBooth(store: Pick<PlantStore, 'intake' | 'feed' | 'repos'>, source: BoothSource, input: { boothId: string; photosDir: string; now: number }): Promise<UpgradeReport> {
  const report: UpgradeReport = { passages: { accepted: 0, duplicate: 0 }, photos: { accepted: 0, duplicate: 0, missingFile: 0 }, alreadyAtCity: 0, users: 0, lists: 0, ledgerRows: 0 }
  for (let afterId = 0; ; ) {
    const page = source.passages(afterId, 500)
    if (page.passages.length === 0) break
    afterId = page.lastId
    for (const result of await store.intake.passages(input.boothId, page.passages, input.now)) report.passages[result === 'accepted' ? 'accepted' : 'duplicate']++
    report.alreadyAtCity += page.passages.filter((passage) => passage.acceptedAt !== undefined).length
    for (const photo of page.photos) {
      const bytes = await readFile(photo.file).catch(() => null)
      if (!bytes) {
        report.photos.missingFile++
        continue
      }
      const path = join(photo.lsh.slice(13, 19), `${photo.lsh}_${photo.zpbh}.jpg`)
      await copyDurably(photo.file, join(input.photosDir, path))
      const { file: _file, ...entry } = photo
      const [result] = await store.intake.photos([{ ...entry, path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }], input.now)
      report.photos[result === 'accepted' ? 'accepted' : 'duplicate']++
      if (photo.acceptedAt !== undefined) report.alreadyAtCity++
    }
  }
  for (const user of source.users()) if (await store.repos.users.insert(user, input.now)) report.users++
  for (const entry of source.lists()) {
    await store.repos.policy.addToList(entry.kind, entry.plate, entry.note, MOVED_BY, input.now, entry.expiresAt)
    report.lists++
  }
  for (const row of source.ledgerRows()) {
    await store.feed.putEntity(FEED_ENTITY[row.ledger], row.key, row.fields, MOVED_BY.actorName, input.now)
    report.ledgerRows++
  }
  return report
}

async function copyDurably(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  await copyFile(from, `${to}.part`)
  const handle = await open(`${to}.part`, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(`${to}.part`, to)
}
