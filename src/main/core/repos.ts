import type { Decision, Direction, Passage, VehicleClass, Verdict } from '@shared/contract'
import type { AlarmStore } from './alarms/store'
import type { AuditRepo } from './audit/repo'
import type { UserRepo } from './auth/repo'
import type { DatabaseProbe } from './health'
import type { LedgerRepo } from './ledgers/repo'
import type { PolicyRepo } from './policy/repo'
import type { StatisticsRepo } from './reports/repo'
import type { OutboxQueue, UploadPhotos } from './sync/queue'

/** A recorded passage as the guard sees it, for the events that follow its uploads. */
export interface PassageReader {
  get(id: number): Passage | null
}

/** A passage as a store takes it in: recorded by a booth's lane, or received by the plant from a booth. */
export interface NewPassage {
  lsh: string
  laneId: string
  gateCode: string
  direction: Direction
  plate: string
  plateColour: string
  recognizedAt: number
  tgsjq: string
  tgsjz: string
  decision: Decision
  reasonCode: string
  reasonText: string
  decidedOffline: boolean
  verdict: Verdict | null
  bgzt: '0' | '1'
  source: 'manual' | 'lpr'
  /** The vehicle's class as the camera saw it, where it said (kept at the booth, never uploaded). */
  vehicleClass?: VehicleClass | null
}

/**
 * The storage interfaces the core areas own, in one place for the store that implements them: the booth's SQLite
 * store today (booth/store), the plant's PostgreSQL store later. Areas get these, never a database handle.
 */
export interface Repos {
  outbox: OutboxQueue
  photos: UploadPhotos
  passages: PassageReader
  ledgers: LedgerRepo
  users: UserRepo
  audit: AuditRepo
  policy: PolicyRepo
  statistics: StatisticsRepo
  database: DatabaseProbe
  /** Synchronous: the alarms are raised where the lanes run (core/alarms/store.ts says why). */
  alarms: AlarmStore
}

/**
 * The repos both roles implement (the booth on SQLite, the plant on PostgreSQL): the areas that run in both roles
 * (audit, auth, policy, ledgers) need only these. Passages as the guard sees them and the lanes' alarms are the booth's.
 */
export type SharedRepos = Omit<Repos, 'passages' | 'alarms'>

declare module './root/area' {
  interface Provided {
    /** Provided by the booth's store area and by the plant's. */
    sharedRepos: SharedRepos
  }
}
