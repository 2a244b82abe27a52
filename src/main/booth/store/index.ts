import { join } from 'node:path'
import type { Repos } from '../../core/repos'
import { openDatabase, type Db } from './db'
import { Outbox } from './outbox'
import { sqliteOutboxQueue } from './outbox-queue'
import { Passages } from './passages'
import { PhotoFiles, Photos, PhotoUploads } from './photos'
import { VerificationCache } from './verification-cache'
import { alarmStore, AlarmsStore } from './alarms'
import { ControlMeasuresStore } from './control-measures'
import { InnerVehicles } from './inner-vehicles'
import { LocalLists } from './local-lists'
import { ManualActions } from './manual-actions'
import { Ledgers } from './ledgers'
import { LaneWrites } from './lane-writes'
import { RetentionDeletes } from './retention'
import { SqliteLedgerRepo } from './ledger-repo'
import { SqliteUserRepo } from './users'
import { SqliteAuditRepo } from './audit-log'
import { sqlitePolicyRepo } from './policy-repo'
import { StatisticsTable } from './statistics'
import { CameraReads, InboxPhotoFiles } from './camera-reads'
import { LaneSettingsStore } from './lane-settings'
import { Clips } from './clips'
import { PlantReplica } from './plant-replica'

export type { Db } from './db'
export type { DeadLetter, FieldProblem, InFlightAtCrash, NewOutboxItem, OutboxCounts, OutboxItem, OutboxKind, OutboxLane } from './outbox'
export { PHOTO_KIND } from './outbox'
export type { NewPassage, PassageFilter } from './passages'
export type { NewPhoto, PhotoRecord, StoredPhotoFile } from './photos'
export type { CachedVerdict } from './verification-cache'
export { Outbox, Passages, PhotoFiles, Photos, VerificationCache }
export type { InsideEntry, PassageOutcome } from './passages'
export type { PassagePatch } from './outbox'
export type { PassagePhotoWrite, PassageWrite } from './lane-writes'
export { LaneWrites }
export { countsSql, passagesAsRollup, StatisticsTable } from './statistics'
export type { NewAlarm } from './alarms'
export type { InnerVehicle } from './inner-vehicles'
export type { ManualAction, ManualActionKind, NewManualAction } from './manual-actions'
export { AlarmsStore, ControlMeasuresStore, InnerVehicles, LaneSettingsStore, Ledgers, LocalLists, ManualActions }
export { ENTITY_TABLES, ledgerChain, prefixRange } from './ledgers'
export { CameraReads, InboxPhotoFiles } from './camera-reads'
export type { CameraReadRow, CameraReadState, InboxPhoto, NewCameraRead } from './camera-reads'
export { Clips } from './clips'
export type { ClipRow, ClipRowState, ExportPassage, NewClipReference, StoredClip } from './clips'
export type { PlantChange } from './plant-replica'
export type { EntityLedger, EntityQuery, EntityRow, GoodsQuery, GoodsRow, LedgerAction, LedgerChangeRow, NewGoods, NewLedgerChange } from './ledgers'

export interface Store {
  /** The raw handle: for this folder and for tests of it only. */
  db: Db
  repos: Repos
  passages: Passages
  photos: Photos
  photoFiles: PhotoFiles
  outbox: Outbox
  verificationCache: VerificationCache
  controlMeasures: ControlMeasuresStore
  localLists: LocalLists
  /** The admin's per-lane settings, read by the lanes at each decision. */
  laneSettings: LaneSettingsStore
  manualActions: ManualActions
  alarms: AlarmsStore
  innerVehicles: InnerVehicles
  /** The admin ledgers (台账): goods, vehicle registrations, in-plant vehicles, machines, their images and history. */
  ledgers: Ledgers
  /** The lanes' writes, one transaction each. */
  lane: LaneWrites
  /** The retention sweep's deletes, one transaction per batch. */
  retention: RetentionDeletes
  /** Camera reads as they arrived (durable dedup, reads not decided yet) and their photos until decided. */
  cameraReads: CameraReads
  inboxPhotos: InboxPhotoFiles
  /** Video evidence: each passage's clip references and fetch jobs; the MP4 files live under `clipRoot`. */
  clips: Clips
  clipRoot: string,
  /** Plant mode: the replica of what the plant owns (users, lists, control measures, ledgers) and its feed revision. */
  plantReplica: PlantReplica
  /** One SQLite transaction, for this folder and tests of it only: everyone else calls a repo method that is one. */
  transaction<T>(work: () => T): T
  close(): void
}

export interface StoreOptions {
  /** The photo write call (tests inject one that fails with ENOSPC). */
  writePhotoBytes?: (fd: number, bytes: Uint8Array) => void
  /** The flush of a written photo file and its folder (the drain benchmark's seeding syncs once per batch instead). */
  fsyncPhoto?: (fd: number) => void
  /** Each gate's driving records go up one at a time in recording order (an edge booth: docs/plant.md, "Order"). */
  recordsInGateOrder?: boolean
}

/** The booth's data folder: booth.sqlite plus photos/ and clips/ by day. */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  const db = openDatabase(join(dataDir, 'booth.sqlite'))
  const tables = {
    passages: new Passages(db),
    photos: new Photos(db),
    photoFiles: new PhotoFiles(join(dataDir, 'photos'), options.writePhotoBytes, options.fsyncPhoto),
    outbox: new Outbox(db),
    verificationCache: new VerificationCache(db),
    controlMeasures: new ControlMeasuresStore(db),
    localLists: new LocalLists(db),
    laneSettings: new LaneSettingsStore(db),
    manualActions: new ManualActions(db),
    alarms: new AlarmsStore(db),
    innerVehicles: new InnerVehicles(db),
    ledgers: new Ledgers(db),
    cameraReads: new CameraReads(db),
    inboxPhotos: new InboxPhotoFiles(join(dataDir, 'inbox')),
    clips: new Clips(db),
    clipRoot: join(dataDir, 'clips')
  }
  return {
    db,
    ...tables,
    repos: {
      passages: tables.passages,
      outbox: sqliteOutboxQueue(db, tables.outbox),
      photos: new PhotoUploads(tables.photos, tables.photoFiles, tables.outbox),
      ledgers: new SqliteLedgerRepo(db, tables.ledgers, tables.outbox, tables.passages),
      users: new SqliteUserRepo(db),
      audit: new SqliteAuditRepo(db),
      policy: sqlitePolicyRepo(db, tables),
      statistics: { countRows: async (query) => new StatisticsTable(db).countRows(query) },
      database: { check: async () => void db.prepare('SELECT COUNT(*) FROM passages WHERE id = 0').get() },
      alarms: alarmStore(tables.alarms, tables.passages)
    },
    lane: new LaneWrites(db, tables, { recordsInGateOrder: options.recordsInGateOrder }),
    retention: new RetentionDeletes(db),
    plantReplica: new PlantReplica(db, tables),
    transaction: (work) => db.transaction(work)(),
    close: () => db.close()
  }
}
