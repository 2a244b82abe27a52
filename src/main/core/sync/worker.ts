import type { SyncStatus } from '@shared/contract'
import type { CallOutcome } from '../platform'
import { PHOTO_KIND, type FieldProblem, type OutboxItem, type Store } from '../../booth/store'
import { backoffDelayMs } from './backoff'
import { fieldsFromReason, type Validate } from './dead-letter'
import { sweepPhotoStore } from './sweep'
import { isoOrNull } from '../time'
import { storageProblem } from '../retention/storage-errors'

export interface SyncPlatform {
  putData(ipctype: string, value: Record<string, string>): Promise<CallOutcome>
  putPhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string): Promise<CallOutcome>
}

export interface SyncWorkerOptions {
  store: Store
  platform: SyncPlatform
  /** How often an idle worker looks at the outbox anyway. */
  intervalMs: number
  maxBackoffMs: number
  /** Calls in flight at once. */
  concurrency: number
  /** Accepted rows older than this lose their payload (compaction); records and photos themselves are kept. */
  compactAfterDays: number
  /** Pre-flight check of a payload before it is sent; problems make it a dead letter without a call. */
  validate: Validate
  /** Told after each row changes state, with the passage it belongs to. */
  onPassageChanged(passageId: number): void
  /** Told after each row's new state is committed (ledger rows have no passage). */
  onItemChanged?(item: OutboxItem): void
  onStatus(status: SyncStatus): void
  log?: (line: string) => void
  now?: () => number
  random?: () => number
}

const BACKOFF_BASE_MS = 1_000
const STATUS_EVERY_MS = 250
/** Rows claimed per commit: this many rounds of `concurrency`, so commits stay few while a backlog drains. */
const CLAIM_ROUNDS = 8
/** While only photos are draining, look for records coming due (a backoff ending) at least this often. */
const RECORDS_RECHECK_MS = 1_000
const COMPACT_EVERY_MS = 6 * 3600_000
/** After the store refused a commit (disk full), the next try. */
const STORE_RETRY_MS = 2_000
const DAY_MS = 24 * 3600_000

type Pause = 'offline' | 'reauth'

/**
 * The only way out to the platform. One loop (`pump`) claims the oldest sendable rows in one commit — put_data
 * records ahead of photos —, keeps up to `concurrency` of them in flight, and writes their outcomes with the next
 * claim, so the disk sees one fsync per batch rather than two per row. A row is claimable only when its predecessor
 * was accepted (a photo after its record; a chain in order). Claimed rows are marked in the database before any is sent, so rows cut off by a crash
 * are known at the next start and resent with the same idempotency key; in normal operation a row is never sent
 * twice, since the claim keeps it out of `due`.
 *
 * Outcomes: accepted → done with the reply kept; refused (or failing pre-flight) → dead letter with its reasons,
 * never deleted; transient → the row backs off and the whole worker pauses with exponential backoff and full
 * jitter, then probes with one row at a time until the platform answers again; 401 after the client's own re-login
 * → the same pause, so no call goes out while the login is being renewed.
 */
export class SyncWorker {
  private readonly now: () => number
  private readonly random: () => number
  private readonly inFlight = new Map<number, Promise<void>>()
  /** Claimed (marked sending) and waiting for a free slot: records before photos, each oldest first. */
  private ready: OutboxItem[] = []
  /** Outcomes waiting for the next commit. */
  private writes: (() => number | null)[] = []
  /** Rows whose outcome the last flush wrote, told after the commit. */
  private settled: OutboxItem[] = []
  /** A record may have become sendable since the last look found none (a new row, a record's outcome). */
  private recordsMaybeDue = true
  private recordsLookedAt = -Infinity
  private pumpQueued = false
  private timer: NodeJS.Timeout | null = null
  private timerAt = Infinity
  private stopped = true
  private online = true
  private pause: Pause | null = null
  private pausedUntil = 0
  private consecutiveFailures = 0
  private lastSuccessAt: number | null = null
  private lastError: string | null = null
  private backlogSettled = 0
  private lastStatusJson = ''
  private statusTimer: NodeJS.Timeout | null = null
  private lastCompactionAt = -Infinity

  constructor(private readonly options: SyncWorkerOptions) {
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
  }

  /** Crash recovery and the photo sweep, then the loop. */
  start(): void {
    const { store, log } = this.options
    const resent = store.outbox.recoverInFlight()
    if (resent.length > 0) {
      log?.(`sync: ${resent.length} row(s) were claimed for sending at the last stop; resending with the same key: ${resent.map((row) => row.idemKey).join(', ')}`)
    }
    const sweep = sweepPhotoStore(store)
    if (sweep.orphanFilesQuarantined.length > 0) {
      const some = sweep.orphanFilesQuarantined.slice(0, 5).join(', ')
      log?.(`sync: moved ${sweep.orphanFilesQuarantined.length} photo file(s) without a passage to the quarantine folder: ${some}${sweep.orphanFilesQuarantined.length > 5 ? ', …' : ''}`)
    }
    if (sweep.missingFiles.length > 0) log?.(`sync: ${sweep.missingFiles.length} pending photo upload(s) lost their file; now dead letters`)
    this.stopped = false
    this.pump()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.clearTimer()
    if (this.statusTimer) clearTimeout(this.statusTimer)
    this.statusTimer = null
    await Promise.all(this.inFlight.values())
    const unsent = this.ready.map((item) => item.id)
    this.ready = []
    const touched = this.options.store.transaction(() => {
      this.options.store.outbox.release(unsent)
      return this.flushWrites()
    })
    this.announce(touched)
  }

  /** Send now (new rows were added, or the guard pressed 立即同步): ends a backoff pause with a probe. */
  kick(): void {
    if (this.stopped) return
    this.pausedUntil = 0
    this.recordsMaybeDue = true
    this.schedulePump()
  }

  /** A dead letter was fixed or re-queued: send it. */
  requeued(): void {
    this.publishStatus()
    this.kick()
  }

  status(): SyncStatus {
    const counts = this.options.store.outbox.counts()
    const now = this.now()
    if (counts.pending === 0 && this.inFlight.size === 0) this.backlogSettled = 0
    const total = this.backlogSettled + counts.pending
    return {
      online: this.online,
      pending: counts.pending,
      dead: counts.dead,
      lastSuccessAt: isoOrNull(this.lastSuccessAt),
      lastError: this.lastError,
      pendingByKind: counts.pendingByKind,
      oldestPendingAt: isoOrNull(counts.oldestPendingAt),
      oldestPendingAgeMs: counts.oldestPendingAt === null ? null : Math.max(0, now - counts.oldestPendingAt),
      inFlight: this.inFlight.size,
      paused: this.pause !== null && now < this.pausedUntil ? this.pause : null,
      backlog: counts.pending > 0 && total > 1 ? { settled: this.backlogSettled, total } : null
    }
  }

  /** Resolves when nothing is in flight, every outcome is written and nothing more is due now. */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all(this.inFlight.values())
      await new Promise((resolve) => setImmediate(resolve))
      if (this.stopped || this.now() < this.pausedUntil) return
      if (this.inFlight.size === 0 && this.writes.length === 0 && !this.pumpQueued) {
        const nextDue = this.options.store.outbox.nextDueAt()
        if (this.ready.length === 0 && (nextDue === null || nextDue > this.now())) return
        this.pump()
      }
    }
  }

  private schedulePump(): void {
    if (this.pumpQueued) return
    this.pumpQueued = true
    setImmediate(() => {
      this.pumpQueued = false
      this.pump()
    })
  }

  /**
   * The one loop: claim more rows when a slot would otherwise go idle, committing the outcomes so far in the same
   * transaction; fill the free slots; or sleep until a row can be due. Outcomes wait for that commit (one fsync per
   * claimed batch, not per row) unless nothing else is going on: a row whose outcome is not yet written is still
   * claimed, so a crash in between only resends it with the same key.
   */
  private pump(): void {
    if (this.stopped) return
    const now = this.now()
    const { store } = this.options
    const probing = this.consecutiveFailures > 0
    const paused = now < this.pausedUntil
    const slots = probing ? 1 : this.options.concurrency
    const batch = probing ? 1 : this.options.concurrency * CLAIM_ROUNDS
    const claim = paused || this.ready.length >= slots ? 0 : batch - this.ready.length - this.inFlight.size
    const flush = this.writes.length > 0 && (claim > 0 || this.inFlight.size === 0 || this.writes.length >= batch)
    if (claim > 0 || flush) {
      const { writes, ready } = this
      const settled = [...this.settled]
      let touched: Set<number>
      try {
        touched = store.transaction(() => {
          const passages = this.flushWrites()
          if (claim > 0) this.claim(now, claim)
          return passages
        })
      } catch (error) {
        // Rolled back (a full disk refuses the commit): the outcomes stay queued, nothing new is claimed; try again.
        this.writes = writes
        this.settled = settled
        this.ready = ready
        this.lastError = `上传结果未能保存：${storageProblem(error) ?? (error as Error).message}`
        this.options.log?.(`sync: could not commit outcomes and claims: ${(error as Error).message}; retrying in ${STORE_RETRY_MS} ms`)
        return this.wakeAt(now + STORE_RETRY_MS)
      }
      this.announce(touched)
    }
    this.compactIfDue(now)
    if (paused) return this.wakeAt(this.pausedUntil)
    while (this.inFlight.size < slots && this.ready.length > 0) this.launch(this.ready.shift()!)
    if (this.inFlight.size === 0) {
      const nextDue = store.outbox.nextDueAt()
      this.wakeAt(Math.min(now + this.options.intervalMs, nextDue ?? Infinity))
      this.publishStatus()
    }
  }

  /**
   * Claims up to `limit` sendable rows (inside the caller's transaction): put_data records first, photos only for
   * what the records leave, so a record never queues behind photo uploads. Looking for records costs a walk over
   * every pending photo, so while photos drain alone it is done only when a record may have become sendable.
   */
  private claim(now: number, limit: number): void {
    const { outbox } = this.options.store
    let records: OutboxItem[] = []
    if (this.recordsMaybeDue || this.inFlight.size === 0 || now - this.recordsLookedAt >= RECORDS_RECHECK_MS) {
      records = outbox.due(now, limit, 'records')
      this.recordsMaybeDue = records.length === limit
      this.recordsLookedAt = now
    }
    const photos = records.length < limit ? outbox.due(now, limit - records.length, 'photos') : []
    const items = [...records, ...photos]
    outbox.markSending(
      items.map((item) => item.id),
      now
    )
    this.ready = [...this.ready, ...items].sort(recordsFirst)
  }

  private launch(item: OutboxItem): void {
    const flight = this.send(item)
      .catch((error: unknown): CallOutcome => ({ kind: 'retry', reason: `send failed: ${(error as Error).message}` }))
      .then((outcome) => this.record(item, outcome))
      .finally(() => {
        this.inFlight.delete(item.id)
        this.schedulePump()
      })
    this.inFlight.set(item.id, flight)
  }

  private async send(item: OutboxItem): Promise<CallOutcome | PreflightFailure> {
    const problems = this.options.validate(item.kind, item.payload)
    if (problems.length > 0) return { kind: 'preflight', problems }
    if (item.kind !== PHOTO_KIND) return this.options.platform.putData(item.kind, item.payload)
    const photo = item.photoId === null ? null : this.options.store.photos.get(item.photoId)
    if (!photo) return unsendable('照片记录丢失')
    let jpeg: Buffer
    try {
      jpeg = await this.options.store.photoFiles.readAsync(photo)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return unsendable(code === 'ENOENT' ? `照片文件丢失：${photo.path}` : `照片文件已损坏或无法读取：${(error as Error).message}`)
    }
    // The client fills base64Image from the photo it really sends (re-encoded when too big, ERRATA E29).
    return this.options.platform.putPhoto(item.payload, jpeg, `${item.payload.lsh}_${item.payload.zpbh}.jpg`)
  }

  /** Takes an outcome into the worker's state now and queues its row update for the next commit. */
  private record(item: OutboxItem, outcome: CallOutcome | PreflightFailure): void {
    const { outbox } = this.options.store
    const now = this.now()
    const later = (write: () => void) => this.writes.push(() => (write(), this.settled.push(item), item.passageId))
    // A record's outcome can free its successors (a goods record, the next row of a chain), also records.
    if (item.kind !== PHOTO_KIND) this.recordsMaybeDue = true
    switch (outcome.kind) {
      case 'ok': {
        // The platform is back: rows still backing off from the outage are due now, so the backlog drains oldest first.
        const recovered = this.consecutiveFailures > 0
        later(() => {
          outbox.markDone(item.id, outcome.reply, now)
          if (recovered) outbox.resumeBackedOff(now)
        })
        if (recovered) this.recordsMaybeDue = true
        this.online = true
        this.pause = null
        this.pausedUntil = 0
        this.consecutiveFailures = 0
        this.lastSuccessAt = now
        this.lastError = null
        this.backlogSettled++
        break
      }
      case 'preflight':
        later(() => outbox.markDead(item.id, { reason: '上传前校验未通过', reply: null, fields: outcome.problems, fixable: true, countAttempt: false }))
        this.lastError = `${item.kind} ${item.idemKey}: 上传前校验未通过`
        this.backlogSettled++
        break
      case 'reject':
        later(() =>
          outbox.markDead(item.id, { reason: outcome.reason, reply: outcome.reply, fields: fieldsFromReason(outcome.reason), fixable: outcome.fixable, countAttempt: outcome.reply !== null })
        )
        if (outcome.reply !== null) {
          this.online = true
          this.consecutiveFailures = 0
        }
        this.lastError = `${item.kind} ${item.idemKey}: ${outcome.reason}`
        this.backlogSettled++
        break
      case 'retry':
      case 'reauth': {
        const backoff = (attempt: number) => backoffDelayMs(attempt, { baseMs: BACKOFF_BASE_MS, capMs: this.options.maxBackoffMs, random: this.random })
        const nextAttemptAt = now + backoff(item.attempts)
        later(() => outbox.markRetry(item.id, outcome.reason, nextAttemptAt))
        this.online = false
        this.pause = outcome.kind === 'reauth' ? 'reauth' : 'offline'
        this.pausedUntil = Math.max(this.pausedUntil, now + backoff(this.consecutiveFailures))
        this.consecutiveFailures++
        this.lastError = outcome.kind === 'reauth' ? `平台登录失效，正在重新登录：${outcome.reason}` : outcome.reason
        break
      }
    }
  }

  /** Runs the queued row updates (inside the caller's transaction); returns the passages they touched. */
  private flushWrites(): Set<number> {
    const writes = this.writes
    this.writes = []
    const passages = new Set<number>()
    for (const write of writes) {
      const passageId = write()
      if (passageId !== null) passages.add(passageId)
    }
    return passages
  }

  /** After a commit: tell about the passages whose upload state changed, and (throttled) the status. */
  private announce(passages: Set<number>): void {
    const settled = this.settled
    this.settled = []
    for (const item of settled) this.options.onItemChanged?.(item)
    if (passages.size === 0 && settled.length === 0) return
    for (const passageId of passages) this.options.onPassageChanged(passageId)
    this.publishStatusSoon()
  }

  private compactIfDue(now: number): void {
    if (now - this.lastCompactionAt < COMPACT_EVERY_MS) return
    this.lastCompactionAt = now
    let compacted: number
    try {
      compacted = this.options.store.outbox.compact(now - this.options.compactAfterDays * DAY_MS, now)
    } catch (error) {
      this.options.log?.(`sync: compaction failed (${(error as Error).message}); next try in ${COMPACT_EVERY_MS / 3600_000} h`)
      return
    }
    if (compacted > 0) this.options.log?.(`sync: compacted ${compacted} uploaded outbox row(s) older than ${this.options.compactAfterDays} days`)
  }

  private wakeAt(at: number): void {
    if (this.stopped) return
    if (this.timer && this.timerAt <= at) return
    this.clearTimer()
    this.timerAt = at
    this.timer = setTimeout(
      () => {
        this.timer = null
        this.timerAt = Infinity
        this.pump()
      },
      Math.max(0, at - this.now())
    )
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.timerAt = Infinity
  }

  /** Status events at most every STATUS_EVERY_MS while draining, so a backlog does not flood the UI. */
  private publishStatusSoon(): void {
    if (this.statusTimer || this.stopped) return
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null
      this.publishStatus()
    }, STATUS_EVERY_MS)
  }

  private publishStatus(): void {
    const status = this.status()
    const json = JSON.stringify({ ...status, oldestPendingAgeMs: null })
    if (json === this.lastStatusJson) return
    this.lastStatusJson = json
    this.options.onStatus(status)
  }
}

interface PreflightFailure {
  kind: 'preflight'
  problems: FieldProblem[]
}

/** Claimed rows wait in this order: put_data records before photos, each oldest first. */
function recordsFirst(a: OutboxItem, b: OutboxItem): number {
  return Number(a.kind === PHOTO_KIND) - Number(b.kind === PHOTO_KIND) || a.id - b.id
}

/** The booth cannot send this row at all (its photo is gone or damaged): a dead letter, without a platform reply. */
function unsendable(reason: string): CallOutcome {
  return { kind: 'reject', reason, reply: null, fixable: false }
}
