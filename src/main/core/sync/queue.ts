/**
 * The storage the sync worker needs: a durable outbox it claims rows from and writes their outcomes to. The booth
 * implements it on SQLite (booth/store/outbox-queue.ts); the plant will implement it on PostgreSQL, where a claim is
 * `FOR UPDATE SKIP LOCKED`, so two plant processes can share one outbox.
 */

/** What the sync worker sends: one row per platform call, keyed by (kind, idempotency key). */
export type OutboxKind = 'shareDrivingRecord' | 'sharePhotoInfo' | 'shareGoodsRecord' | 'shareVehInfo' | 'shareInnerVehInfo' | 'shareInnerMHYElec'

/** The one kind uploaded with a file (put_file); every other kind is a put_data record. */
export const PHOTO_KIND = 'sharePhotoInfo' satisfies OutboxKind

/** The worker sends records and photos as two lanes: a record never waits behind photo uploads. */
export type OutboxLane = 'records' | 'photos'

/** A field-level problem: `field` is the spec field name (or '' when the whole item is concerned). */
export interface FieldProblem {
  field: string
  message: string
}

export interface OutboxItem {
  id: number
  kind: OutboxKind
  idemKey: string
  passageId: number | null
  photoId: number | null
  /** The spec `value` object as recorded (no token; photos carry their bytes on disk, not here). */
  payload: Record<string, string>
  attempts: number
}

export interface NewOutboxItem {
  kind: OutboxKind
  idemKey: string
  passageId?: number
  photoId?: number
  /** Must not be sent before this row has been accepted (a photo waits for its passage record). */
  afterId?: number
  /** Rows of one chain are sent strictly in insertion order (e.g. an in-plant vehicle's add before its updates). */
  chain?: string
  /**
   * Rows of one order (a gate's driving records, at an edge booth and at the plant) are sent one at a time in
   * insertion order: a row waits while an earlier row of its order is pending (sending, backing off after a transient
   * failure, held), so a retry never lets the next one pass. Unlike a chain, a dead letter steps aside.
   */
  orderKey?: string
  payload: Record<string, string>
}

export interface OutboxCounts {
  pending: number
  dead: number
  pendingByKind: Record<string, number>
  /** created_at of the oldest pending row (epoch ms), or null. */
  oldestPendingAt: number | null
}

export interface DeadLetter {
  id: number
  kind: OutboxKind
  idemKey: string
  passageId: number | null
  payload: Record<string, string>
  reason: string
  fields: FieldProblem[]
  fixable: boolean
  attempts: number
  createdAt: number
  fixedBy: string | null
  fixedAt: number | null
}

/** A row that was on its way to the platform when the booth died. */
export interface InFlightAtCrash {
  id: number
  kind: OutboxKind
  idemKey: string
}

/** What became of one sent row: data the worker hands to `OutboxQueue.commit`, written there. */
export type Outcome =
  /**
   * Accepted. `resumeBackedOff`: the platform is back, so every row backing off from the outage is due now, except
   * the rows listed (calls the platform was slow to answer: they keep their own backoff).
   */
  | { id: number; kind: 'done'; reply: unknown; at: number; resumeBackedOff: false | { except: readonly number[] } }
  /** Transient: the row stays pending and is not due before `nextAttemptAt`. */
  | { id: number; kind: 'retry'; error: string; nextAttemptAt: number }
  /** Dead letter, kept with its reasons until someone fixes and re-queues it. */
  | { id: number; kind: 'dead'; reason: string; reply: unknown; fields: FieldProblem[]; fixable: boolean; countAttempt: boolean }

export interface Claim {
  now: number
  /** At most this many rows. */
  limit: number
  /**
   * Look for put_data records first (photos only for what they leave). False: photos only, when the worker knows
   * no record can have become sendable (looking walks the whole photo backlog).
   */
  records: boolean
}

export interface Commit {
  /** Written first, in order. */
  outcomes: readonly Outcome[]
  /** Claimed rows given back unsent (the worker stopped before their turn). */
  release?: readonly number[]
  /** Then claims the oldest sendable rows, so an outcome that frees a row (a photo after its record) counts. */
  claim?: Claim
}

export interface OutboxQueue {
  /**
   * One commit (one fsync on the booth): the outcomes, the released rows, then the claim. A claimed row is out of
   * every later claim until its outcome is written or it is released, so one copy of a key is in flight at a time;
   * a row still claimed at the next start was cut off by a crash (`recoverInFlight`). Returns the rows claimed:
   * records first, then photos, each oldest first.
   */
  commit(commit: Commit): Promise<OutboxItem[]>
  /** At start: the rows claimed when the process died; they become claimable again (resent with the same key). */
  recoverInFlight(): Promise<InFlightAtCrash[]>
  /** When the next sendable row becomes due, or null when nothing may be sent. */
  nextDueAt(): Promise<number | null>
  counts(): Promise<OutboxCounts>
  /** Accepted rows done before `doneBefore` lose their payload (the key, time and reply code stay). Returns how many. */
  compact(doneBefore: number, now: number): Promise<number>
  deadLetters(limit: number): Promise<DeadLetter[]>
  deadLetter(id: number): Promise<DeadLetter | null>
  /**
   * Corrects fields of a dead letter's payload (the payload as first recorded is kept, with who fixed it and when).
   * Returns the corrected row, or null when `id` is not a dead letter.
   */
  fix(id: number, changes: Record<string, string>, fixedBy: string, now: number): Promise<OutboxItem | null>
  /** A dead letter goes back to the queue, due now. False when the row is not a dead letter. */
  requeue(id: number, now: number): Promise<boolean>
}

/** The bytes of a photo row to upload, or why it cannot be sent (a dead letter, not fixable). */
export type PhotoForUpload = { jpeg: Buffer } | { problem: string }

export interface UploadPhotos {
  /** Reads the photo off the event loop and checks it is still the file that was recorded. */
  forUpload(photoId: number): Promise<PhotoForUpload>
  /** At start: photo files no row knows are quarantined, pending uploads whose file is gone become dead letters. */
  sweep(): Promise<SweepResult>
}

export interface SweepResult {
  /** Photo files no row points to, moved to the quarantine folder (paths there, relative to the data folder). */
  orphanFilesQuarantined: string[]
  /** Pending photo uploads whose file is gone, turned into dead letters. */
  missingFiles: number[]
}
