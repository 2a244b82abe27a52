import type { SyncStatus } from '@shared/contract'
import type { CallOutcome } from '../platform'
import type { OutboxItem, Store } from '../store'
import { backoffDelayMs } from './backoff'

export interface SyncPlatform {
  putData(ipctype: string, value: Record<string, string>): Promise<CallOutcome>
  putPhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string): Promise<CallOutcome>
}

export interface SyncWorkerOptions {
  store: Store
  platform: SyncPlatform
  intervalMs: number
  maxBackoffMs: number
  /** Told after each row changes state, with the passage it belongs to. */
  onPassageChanged(passageId: number): void
  onStatus(status: SyncStatus): void
  now?: () => number
  random?: () => number
}

const BATCH = 50
const BACKOFF_BASE_MS = 1_000

/**
 * The only way out to the platform: drains the outbox in order, one row at a time, and records each outcome in the
 * same row. Accepted → done (reply kept); refused by the platform → dead letter with the reason; anything else →
 * retried later with backoff. A row is marked done only after the platform accepted it, so nothing is lost; it is
 * sent again only if the booth dies between the platform's answer and that mark.
 */
export class SyncWorker {
  private readonly now: () => number
  private readonly random: () => number
  private timer: NodeJS.Timeout | null = null
  private draining: Promise<void> | null = null
  private again = false
  private stopped = true
  private online = true
  private lastSuccessAt: number | null = null
  private lastError: string | null = null

  constructor(private readonly options: SyncWorkerOptions) {
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
  }

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.draining
  }

  /** Drain now (new rows were added, or the guard pressed 立即同步). */
  kick(): void {
    if (this.stopped) return
    if (this.draining) {
      this.again = true
      return
    }
    this.schedule(0)
  }

  status(): SyncStatus {
    const counts = this.options.store.outbox.counts()
    return {
      online: this.online,
      pending: counts.pending,
      failed: counts.dead,
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      lastError: this.lastError
    }
  }

  /** Resolves when the current drain (if any) has finished; for callers that need a settled outbox. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.draining = this.drain().finally(() => {
        this.draining = null
        const rerun = this.again
        this.again = false
        this.schedule(rerun ? 0 : this.delayUntilNextDue())
      })
    }, delayMs)
  }

  private delayUntilNextDue(): number {
    const nextDue = this.options.store.outbox.nextDueAt()
    if (nextDue === null) return this.options.intervalMs
    return Math.min(this.options.intervalMs, Math.max(0, nextDue - this.now()))
  }

  private async drain(): Promise<void> {
    const statusBefore = JSON.stringify(this.status())
    for (;;) {
      if (this.stopped) break
      const batch = this.options.store.outbox.due(this.now(), BATCH)
      if (batch.length === 0) break
      let interrupted = false
      for (const item of batch) {
        if (this.stopped) break
        const outcome = await this.send(item)
        this.record(item, outcome)
        if (outcome.kind === 'retry' || outcome.kind === 'reauth') {
          // The platform is unreachable or unwell: stop here and let backoff decide when to try again.
          interrupted = true
          break
        }
      }
      if (interrupted || batch.length < BATCH) break
    }
    const status = this.status()
    if (JSON.stringify(status) !== statusBefore) this.options.onStatus(status)
  }

  private async send(item: OutboxItem): Promise<CallOutcome> {
    if (item.kind === 'shareDrivingRecord') return this.options.platform.putData(item.kind, item.payload)
    const photo = item.photoId === null ? null : this.options.store.photos.get(item.photoId)
    if (!photo) return { kind: 'reject', reason: 'photo row is missing', reply: null, fixable: false }
    let jpeg: Buffer
    try {
      jpeg = this.options.store.photoFiles.read(photo)
    } catch (error) {
      return { kind: 'reject', reason: `photo file unreadable: ${(error as Error).message}`, reply: null, fixable: false }
    }
    const value = { ...item.payload, base64Image: jpeg.toString('base64') }
    return this.options.platform.putPhoto(value, jpeg, `${item.payload.lsh}_${item.payload.zpbh}.jpg`)
  }

  private record(item: OutboxItem, outcome: CallOutcome): void {
    const { outbox } = this.options.store
    const now = this.now()
    switch (outcome.kind) {
      case 'ok':
        outbox.markDone(item.id, outcome.reply, now)
        this.online = true
        this.lastSuccessAt = now
        this.lastError = null
        break
      case 'reject':
        outbox.markDead(item.id, outcome.reason, outcome.reply)
        this.online = true
        this.lastError = `${item.kind} ${item.idemKey}: ${outcome.reason}`
        break
      case 'retry':
      case 'reauth': {
        const delay = backoffDelayMs(item.attempts, { baseMs: BACKOFF_BASE_MS, capMs: this.options.maxBackoffMs, random: this.random })
        outbox.markRetry(item.id, outcome.reason, now + delay)
        this.online = false
        this.lastError = outcome.reason
        break
      }
    }
    if (item.passageId !== null) this.options.onPassageChanged(item.passageId)
  }
}
