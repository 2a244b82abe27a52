import type { DatabaseProbe } from '../../core/health'
import type { Repos } from '../../core/repos'
import { Booths } from './booths'
import { ChangeFeed } from './feed'
import { Intake } from './intake'
import { PgOutboxQueue } from './outbox-queue'
import { PgUploadPhotos } from './photos'
import { migrate, openPool, type Pool, type PoolOptions } from './pool'
import { PgPolicyRepo } from './policy-repo'
import { PgStatistics } from './statistics'
import { PgUserRepo } from './users'
import { PgAuditRepo } from './audit-log'
import { PlantViews } from './views'
import { PgLedgerRepo } from './ledger-repo'
import { PlantConsoleRepo } from './console-repo'

export type { Change, FeedEntity } from './feed'
export type { IntakeResult, PassageUp, PhotoUp } from './intake'
export type { JournalQuery, JournalRow, Presence, Visit } from './views'
export { SPARSE_PLATE_PASSAGES } from './views'
export type { PoolOptions } from './pool'
export { plantMigrations } from './migrations'
export type { EnrolledBooth } from './booths'
export type { BoothRow, Overstay, PlantAlarmRow } from './console-repo'
export { Booths, ChangeFeed, Intake, PgOutboxQueue, PlantViews }

/** The core repos the plant implements on PostgreSQL (the lanes' alarms and the guard's passage reader are the booth's). */
export type PlantRepos = Pick<Repos, 'outbox' | 'photos' | 'users' | 'audit' | 'policy' | 'statistics' | 'database' | 'ledgers'>

export interface PlantStore {
  repos: PlantRepos & { outbox: PgOutboxQueue; statistics: PgStatistics; photos: PgUploadPhotos }
  intake: Intake
  feed: ChangeFeed
  booths: Booths
  views: PlantViews
  /** The admin workspace's own reads and the plant's dwell alarms. */
  console: PlantConsoleRepo
  close(): Promise<void>
}

export interface PlantStoreOptions extends PoolOptions {
  /** Where the plant keeps the photos the booths sent. */
  photosDir: string
}

/** Connects, applies pending migrations and takes this process's outbox owner number. */
export async function openPlantStore(options: PlantStoreOptions): Promise<PlantStore> {
  const pool: Pool = openPool(options)
  try {
    await migrate(pool)
    const outbox = new PgOutboxQueue(pool, options)
    await outbox.open()
    const database: DatabaseProbe = {
      async check() {
        await pool.query('SELECT 1')
      }
    }
    return {
      repos: {
        outbox,
        photos: new PgUploadPhotos(pool, options.photosDir),
        users: new PgUserRepo(pool),
        audit: new PgAuditRepo(pool),
        policy: new PgPolicyRepo(pool),
        statistics: new PgStatistics(pool),
        ledgers: new PgLedgerRepo(pool),
        database
      },
      intake: new Intake(pool),
      feed: new ChangeFeed(pool),
      booths: new Booths(pool),
      views: new PlantViews(pool),
      console: new PlantConsoleRepo(pool),
      async close() {
        await outbox.close()
        await pool.end()
      }
    }
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
}
