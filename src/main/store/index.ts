import { join } from 'node:path'
import { openDatabase, type Db } from './db'
import { Outbox } from './outbox'
import { Passages } from './passages'
import { PhotoFiles, Photos } from './photos'
import { VerificationCache } from './verification-cache'

export type { Db } from './db'
export type { DeadLetter, FieldProblem, InFlightAtCrash, NewOutboxItem, OutboxCounts, OutboxItem, OutboxKind } from './outbox'
export type { NewPassage } from './passages'
export type { NewPhoto, PhotoRecord, StoredPhotoFile } from './photos'
export type { CachedVerdict } from './verification-cache'
export { Outbox, Passages, PhotoFiles, Photos, VerificationCache }

export interface Store {
  db: Db
  passages: Passages
  photos: Photos
  photoFiles: PhotoFiles
  outbox: Outbox
  verificationCache: VerificationCache
  /** Runs `work` in one SQLite transaction: a business write and its outbox rows commit together or not at all. */
  transaction<T>(work: () => T): T
  close(): void
}

export interface StoreOptions {
  /** The photo write call (tests inject one that fails with ENOSPC). */
  writePhotoBytes?: (fd: number, bytes: Uint8Array) => void
}

/** The booth's data folder: booth.sqlite plus photos/ by day. */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  const db = openDatabase(join(dataDir, 'booth.sqlite'))
  return {
    db,
    passages: new Passages(db),
    photos: new Photos(db),
    photoFiles: new PhotoFiles(join(dataDir, 'photos'), options.writePhotoBytes),
    outbox: new Outbox(db),
    verificationCache: new VerificationCache(db),
    transaction: (work) => db.transaction(work)(),
    close: () => db.close()
  }
}
