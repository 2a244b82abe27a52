import type { SyncStatus } from '@shared/contract'
import type { CallOutcome } from '../platform'
import { backoffDelayMs } from './backoff'
import { fieldsFromReason, type Validate } from './dead-letter'
import { isoOrNull } from '../time'
import { storageProblem } from '../retention/storage-errors'
import { PHOTO_KIND, type FieldProblem, type OutboxItem, type OutboxQueue, type Outcome, type UploadPhotos } from './queue'

/** How long one upload may wait for its answer, and a way for the worker to give up on it earlier. */
export interface UploadCall {
  timeoutMs: number
  signal: AbortSignal
  /** The row's idempotency key: a booth sending to its plant forwards it (the city platform's calls do not use it). */
  idemKey?: string
}

/** A photo made ready to send by the platform side (its checks, bytes, base64): opaque to the worker. */
export type PreparedPhoto = object

export interface SyncPlatform {
  putData(ipctype: string, value: Record<string, string>, call: UploadCall): Promise<CallOutcome>
  /** A photo's work before its call (checks, base64); an outcome when it cannot be sent at all. */
  preparePhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string): Promise<PreparedPhoto | CallOutcome>
  sendPhoto(upload: PreparedPhoto, call: UploadCall): Promise<CallOutcome>
}

export interface SyncWorkerOptions {
  outbox: OutboxQueue
  photos: UploadPhotos
  platform: SyncPlatform
  /**
   * The platform's request timeout. An upload not answered by then is late, not failed: the worker keeps waiting
   * for its answer (up to LATE_ANSWER_FACTOR times as long) and does not send another copy of it meanwhile.
   */
  requestTimeoutMs: number
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
/**
 * An upload waits this many request timeouts for its answer before it is given up (and, after its backoff, sent
 * again): a platform that answers late still answers the one copy it has, instead of receiving a new copy per timeout.
 */
export const LATE_ANSWER_FACTOR = 6
const COMPACT_EVERY_MS = 6 * 3600_000
/** After the store refused a commit (disk full), the next try. */
const STORE_RETRY_MS = 2_000
const DAY_MS = 24 * 3600_000

type Pause = 'offline' | 'reauth'

interface Flight {
  done: Promise<void>
  abort: AbortController
  /** Not answered within the request timeout. */
  late: boolean
}

/**
 * The only way out to the platform. One loop (`pump`) claims the oldest sendable rows in one commit — put_data
 * records ahead of photos —, keeps up to `concurrency` of them in flight, and hands their outcomes, as data, to the
 * next commit (`OutboxQueue.commit`), so the disk sees one fsync per batch rather than two per row. A row is claimable
 * only when its predecessor was accepted (a photo after its record; a chain in order). Claimed rows are marked in the
 * database before any is sent, so rows cut off by a crash are known at the next start and resent with the same
 * idempotency key; in normal operation a row is never sent twice, since the claim keeps it out of every later claim
 * until its outcome is written.
 *
 * Resend discipline: one copy of a key is in flight at a time. A call the platform has not answered within the request
 * timeout is late, not failed: the worker keeps waiting for its answer (up to LATE_ANSWER_FACTOR timeouts), so a slow
 * platform receives each row once. Only a call given up at that limit backs off, and goes again after its backoff.
 *
 * Outcomes: accepted → done with the reply kept; refused (or failing pre-flight) → dead letter with its reasons,
 * never deleted; transient → the row backs off and the whole worker pauses with exponential backoff and full
 * jitter, then probes with one row at a time until the platform answers again; 401 after the client's own re-login
 * → the same pause, so no call goes out while the login is being renewed.
 */
export class SyncWorker {
  private readonly now: () => number
  private readonly random: () => number
  private readonly inFlight = new Map<number, Flight>()
  /** Claimed (marked sending) and waiting for a free slot: records before photos, each oldest first. */
  private ready: OutboxItem[] = []
  /** Outcomes waiting for the next commit, with the row each settles (told after the commit). */
  private outcomes: { outcome: Outcome; item: OutboxItem }[] = []
  /**
   * Photos claimed and waiting for a slot whose file is being read and prepared already (at most `concurrency`), so a
   * slot is held by the call alone: a photo's preparation costs about as much as its exchange on a fast link.
   */
  private readonly preparing = new Map<number, Promise<PreparedSend>>()
  /** Calls given up when the worker stopped: their rows are released unsent (resent at the next start). */
  private abandoned: number[] = []
  /**
   * Rows whose last call the platform was slow to answer, and when their backoff ends: the end of an outage does not
   * make them due early, since the platform may still be working on the copy it has.
   */
  private readonly slowBackoffs = new Map<number, number>()
  /** A record may have become sendable since the last look found none (a new row, a record's outcome). */
  private recordsMaybeDue = true
  private recordsLookedAt = -Infinity
  private pumpQueued = false
  /** The pump in progress (it awaits the outbox); pumps never overlap. */
  private pumping: Promise<void> | null = null
  private pumpAgain = false
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
  async start(): Promise<void> {
    const { outbox, log } = this.options
    const resent = await outbox.recoverInFlight()
    if (resent.length > 0) {
      log?.(`sync: ${resent.length} row(s) were claimed for sending at the last stop; resending with the same key: ${resent.map((row) => row.idemKey).join(', ')}`)
    }
    const sweep = await this.options.photos.sweep()
    if (sweep.orphanFilesQuarantined.length > 0) {
      const some = sweep.orphanFilesQuarantined.slice(0, 5).join(', ')
      log?.(`sync: moved ${sweep.orphanFilesQuarantined.length} photo file(s) without a passage to the quarantine folder: ${some}${sweep.orphanFilesQuarantined.length > 5 ? ', …' : ''}`)
    }
    if (sweep.missingFiles.length > 0) log?.(`sync: ${sweep.missingFiles.length} pending photo upload(s) lost their file; now dead letters`)
    this.stopped = false
    this.pump()
  }

  /**
   * Waits for the calls in flight (a request timeout at most: later ones are given up, their rows released and sent
   * again at the next start with the same key), then commits every outcome and gives back the rows not sent.
   */
  async stop(): Promise<void> {
    this.stopped = true
    this.clearTimer()
    if (this.statusTimer) clearTimeout(this.statusTimer)
    this.statusTimer = null
    const giveUp = setTimeout(() => {
      for (const flight of this.inFlight.values()) flight.abort.abort()
    }, this.options.requestTimeoutMs)
    await Promise.all([...this.inFlight.values()].map((flight) => flight.done))
    clearTimeout(giveUp)
    await this.pumping
    const release = [...this.ready.map((item) => item.id), ...this.abandoned]
    this.ready = []
    this.preparing.clear()
    this.abandoned = []
    const written = this.outcomes
    this.outcomes = []
    await this.options.outbox.commit({ outcomes: written.map(({ outcome }) => outcome), release })
    this.announce(written.map(({ item }) => item))
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

  async status(): Promise<SyncStatus> {
    const counts = await this.options.outbox.counts()
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
      await Promise.all([...this.inFlight.values()].map((flight) => flight.done))
      await this.pumping
      await new Promise((resolve) => setImmediate(resolve))
      if (this.stopped || this.now() < this.pausedUntil) return
      if (this.inFlight.size === 0 && this.outcomes.length === 0 && !this.pumpQueued && this.pumping === null) {
        const nextDue = await this.options.outbox.nextDueAt()
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

  /** Runs the loop once, unless it is running: then once more when it is done. */
  private pump(): void {
    if (this.stopped) return
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = this.pumpOnce()
      .catch((error: unknown) => {
        this.options.log?.(`sync: ${(error as Error).stack ?? String(error)}`)
        this.wakeAt(this.now() + this.options.intervalMs)
      })
      .finally(() => {
        this.pumping = null
        if (this.pumpAgain) {
          this.pumpAgain = false
          this.schedulePump()
        }
      })
  }

  /**
   * The one loop: claim more rows when a slot would otherwise go idle, committing the outcomes so far in the same
   * commit; fill the free slots; or sleep until a row can be due. Outcomes wait for that commit (one fsync per
   * claimed batch, not per row) unless nothing else is going on: a row whose outcome is not yet written is still
   * claimed, so a crash in between only resends it with the same key.
   */
  private async pumpOnce(): Promise<void> {
    const now = this.now()
    const probing = this.consecutiveFailures > 0
    const slots = probing ? 1 : this.options.concurrency
    const batch = probing ? 1 : this.options.concurrency * CLAIM_ROUNDS
    const claim = now < this.pausedUntil || this.ready.length >= slots ? 0 : batch - this.ready.length - this.inFlight.size
    const flush = this.outcomes.length > 0 && (claim > 0 || this.inFlight.size === 0 || this.outcomes.length >= batch)
    if (claim > 0 || flush) await this.commit(now, claim)
    if (this.stopped) return
    await this.compactIfDue(now)
    if (this.now() < this.pausedUntil) return this.wakeAt(this.pausedUntil)
    const free = this.consecutiveFailures > 0 ? 1 : this.options.concurrency
    while (this.inFlight.size < free && this.ready.length > 0) this.launch(this.ready.shift()!)
    this.prepareAhead()
    if (this.inFlight.size === 0) {
      const nextDue = await this.options.outbox.nextDueAt()
      this.wakeAt(Math.min(now + this.options.intervalMs, nextDue ?? Infinity))
      this.publishStatus()
    }
  }

  /**
   * Writes the outcomes so far and claims up to `limit` sendable rows, in one commit: put_data records first, photos
   * only for what the records leave, so a record never queues behind photo uploads. Looking for records costs a walk
   * over every pending photo, so while photos drain alone it is done only when a record may have become sendable.
   */
  private async commit(now: number, limit: number): Promise<void> {
    const written = this.outcomes
    this.outcomes = []
    const records = limit > 0 && (this.recordsMaybeDue || this.inFlight.size === 0 || now - this.recordsLookedAt >= RECORDS_RECHECK_MS)
    if (records) {
      // An outcome arriving during the commit may set it again: it is not overwritten below.
      this.recordsMaybeDue = false
      this.recordsLookedAt = now
    }
    let claimed
    try {
      claimed = await this.options.outbox.commit({ outcomes: written.map(({ outcome }) => outcome), ...(limit > 0 ? { claim: { now, limit, records } } : {}) })
    } catch (error) {
      // Nothing was written (a full disk refuses the commit): the outcomes wait for the next commit, their rows stay
      // claimed meanwhile, nothing new is claimed.
      this.outcomes = [...written, ...this.outcomes]
      if (records) this.recordsMaybeDue = true
      this.lastError = `上传结果未能保存：${storageProblem(error) ?? (error as Error).message}`
      this.options.log?.(`sync: the outbox could not be written: ${(error as Error).message}; retrying in ${STORE_RETRY_MS} ms`)
      this.wakeAt(now + STORE_RETRY_MS)
      return
    }
    if (records && claimed.filter((item) => item.kind !== PHOTO_KIND).length === limit) this.recordsMaybeDue = true
    this.ready = [...this.ready, ...claimed].sort(recordsFirst)
    this.announce(written.map(({ item }) => item))
  }

  private launch(item: OutboxItem): void {
    this.slowBackoffs.delete(item.id)
    const abort = new AbortController()
    const lateTimer = setTimeout(() => this.answerLate(item, flight), this.options.requestTimeoutMs)
    const flight: Flight = {
      abort,
      late: false,
      done: this.send(item, abort.signal)
        .catch((error: unknown): CallOutcome => ({ kind: 'retry', reason: `send failed: ${(error as Error).message}` }))
        .then((outcome) => {
          if (abort.signal.aborted) this.abandoned.push(item.id)
          else this.record(item, outcome, flight.late)
        })
        .finally(() => {
          clearTimeout(lateTimer)
          this.inFlight.delete(item.id)
          this.schedulePump()
        })
    }
    this.inFlight.set(item.id, flight)
  }

  private async send(item: OutboxItem, signal: AbortSignal): Promise<CallOutcome | PreflightFailure> {
    const prepared = await (this.preparing.get(item.id) ?? this.prepare(item))
    this.preparing.delete(item.id)
    if ('outcome' in prepared) return prepared.outcome
    const call = { timeoutMs: this.options.requestTimeoutMs * LATE_ANSWER_FACTOR, signal, idemKey: item.idemKey }
    return prepared.photo ? this.options.platform.sendPhoto(prepared.photo, call) : this.options.platform.putData(item.kind, item.payload, call)
  }

  /** Starts preparing the photos next in line (up to `concurrency` of them) while the calls in flight go on. */
  private prepareAhead(): void {
    let ahead = this.preparing.size
    for (const item of this.ready) {
      if (ahead >= this.options.concurrency) return
      if (item.kind !== PHOTO_KIND || this.preparing.has(item.id)) continue
      this.preparing.set(item.id, this.prepare(item))
      ahead++
    }
  }

  /** What can be done before the call: pre-flight, and for a photo reading its file and making it ready to send. */
  private async prepare(item: OutboxItem): Promise<PreparedSend> {
    try {
      const problems = this.options.validate(item.kind, item.payload)
      if (problems.length > 0) return { outcome: { kind: 'preflight', problems } }
      if (item.kind !== PHOTO_KIND) return { photo: null }
      if (item.photoId === null) return { outcome: unsendable('照片记录丢失') }
      const photo = await this.options.photos.forUpload(item.photoId)
      if ('problem' in photo) return { outcome: unsendable(photo.problem) }
      // The client fills base64Image from the photo it really sends (re-encoded when too big, ERRATA E29).
      const upload = await this.options.platform.preparePhoto(item.payload, photo.jpeg, `${item.payload.lsh}_${item.payload.zpbh}.jpg`)
      return 'kind' in upload ? { outcome: upload } : { photo: upload }
    } catch (error) {
      return { outcome: { kind: 'retry', reason: `send failed: ${(error as Error).message}` } }
    }
  }

  /** The request timeout passed without an answer: the call stays open (no second copy), the status says so. */
  private answerLate(item: OutboxItem, flight: Flight): void {
    flight.late = true
    this.lastError = `${item.kind} ${item.idemKey}: platform did not answer within ${this.options.requestTimeoutMs} ms; waiting for its answer, not resending`
    this.publishStatusSoon()
  }

  /** Takes an outcome into the worker's state now and queues its row's outcome for the next commit. */
  private record(item: OutboxItem, outcome: CallOutcome | PreflightFailure, late: boolean): void {
    const now = this.now()
    const settle = (written: Outcome) => this.outcomes.push({ outcome: written, item })
    // A record's outcome can free its successors (a goods record, the next row of a chain), also records.
    if (item.kind !== PHOTO_KIND) this.recordsMaybeDue = true
    switch (outcome.kind) {
      case 'ok': {
        // The platform is back: rows still backing off from the outage are due now, so the backlog drains oldest first.
        const recovered = this.consecutiveFailures > 0
        settle({ id: item.id, kind: 'done', reply: outcome.reply, at: now, resumeBackedOff: recovered && { except: this.stillSlowBackoffs(now) } })
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
        settle({ id: item.id, kind: 'dead', reason: '上传前校验未通过', reply: null, fields: outcome.problems, fixable: true, countAttempt: false })
        this.lastError = `${item.kind} ${item.idemKey}: 上传前校验未通过`
        this.backlogSettled++
        break
      case 'reject':
        settle({ id: item.id, kind: 'dead', reason: outcome.reason, reply: outcome.reply, fields: fieldsFromReason(outcome.reason), fixable: outcome.fixable, countAttempt: outcome.reply !== null })
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
        // A call given up while the platform may still be working on it waits at least one more request timeout.
        const nextAttemptAt = now + (late ? Math.max(this.options.requestTimeoutMs, backoff(item.attempts)) : backoff(item.attempts))
        if (late) this.slowBackoffs.set(item.id, nextAttemptAt)
        settle({ id: item.id, kind: 'retry', error: outcome.reason, nextAttemptAt })
        this.online = false
        this.pause = outcome.kind === 'reauth' ? 'reauth' : 'offline'
        this.pausedUntil = Math.max(this.pausedUntil, now + backoff(this.consecutiveFailures))
        this.consecutiveFailures++
        this.lastError = outcome.kind === 'reauth' ? `平台登录失效，正在重新登录：${outcome.reason}` : outcome.reason
        break
      }
    }
  }

  /** The rows given up on a slow platform whose backoff has not ended (forgetting those whose has). */
  private stillSlowBackoffs(now: number): number[] {
    for (const [id, until] of this.slowBackoffs) if (until <= now) this.slowBackoffs.delete(id)
    return [...this.slowBackoffs.keys()]
  }

  /** After a commit: tell about the rows it settled and the passages whose upload state changed, and (throttled) the status. */
  private announce(settled: OutboxItem[]): void {
    if (settled.length === 0) return
    for (const item of settled) this.options.onItemChanged?.(item)
    const passages = new Set(settled.flatMap((item) => (item.passageId === null ? [] : [item.passageId])))
    for (const passageId of passages) this.options.onPassageChanged(passageId)
    this.publishStatusSoon()
  }

  private async compactIfDue(now: number): Promise<void> {
    if (now - this.lastCompactionAt < COMPACT_EVERY_MS) return
    this.lastCompactionAt = now
    let compacted: number
    try {
      compacted = await this.options.outbox.compact(now - this.options.compactAfterDays * DAY_MS, now)
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
    this.status()
      .then((status) => {
        const json = JSON.stringify({ ...status, oldestPendingAgeMs: null })
        if (json === this.lastStatusJson) return
        this.lastStatusJson = json
        this.options.onStatus(status)
      })
      .catch((error: unknown) => this.options.log?.(`sync: status unavailable: ${(error as Error).message}`))
  }
}

/** A row made ready to send (`photo` null for a record), or the outcome it has without a call. */
type PreparedSend = { outcome: CallOutcome | PreflightFailure } | { photo: PreparedPhoto | null }

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
