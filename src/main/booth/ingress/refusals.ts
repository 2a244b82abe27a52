export interface RefusalLimits {
  /** Refusals of one sender within `windowMs` after which its pushes are turned away unread (429). */
  maxRefusals: number
  windowMs: number
  /** At most one alarm per sender this often. */
  alarmIntervalMs: number
}

export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { maxRefusals: 10, windowMs: 60_000, alarmIntervalMs: 10 * 60_000 }

interface SenderRecord {
  times: number[]
  alarmedAt: number | null
}

/**
 * Refused pushes counted per sender: the audit log gets each one until the sender passes its limit (then one entry
 * saying so, and its pushes are answered 429 without being read), and the guard gets at most one alarm per sender
 * per interval, so a device hammering the port can flood neither.
 */
export class RefusalLimiter {
  private readonly senders = new Map<string, SenderRecord>()

  constructor(
    private readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS,
    private readonly now: () => number = Date.now
  ) {}

  /** The sender is over its limit: answer 429 and look no further. */
  blocked(source: string): boolean {
    const record = this.senders.get(source)
    return record !== undefined && this.recent(record).length >= this.limits.maxRefusals
  }

  /**
   * Counts a refusal. `quiet`: a push without credentials to a lane with a secret (a Digest camera's first try),
   * recorded only once the sender passes its limit.
   */
  refused(source: string, quiet = false): { audit: boolean; alarm: boolean; nowBlocked: boolean } {
    this.forgetIdle()
    const at = this.now()
    const record = this.senders.get(source) ?? { times: [], alarmedAt: null }
    this.senders.set(source, record)
    record.times = [...this.recent(record), at]
    const nowBlocked = record.times.length >= this.limits.maxRefusals
    const notable = !quiet || nowBlocked
    const alarm = notable && (record.alarmedAt === null || at - record.alarmedAt >= this.limits.alarmIntervalMs)
    if (alarm) record.alarmedAt = at
    return { audit: notable, alarm, nowBlocked }
  }

  /** A push from the sender was accepted: its earlier refusals (a Digest challenge) no longer count. */
  accepted(source: string): void {
    const record = this.senders.get(source)
    if (record) record.times = []
  }

  private recent(record: SenderRecord): number[] {
    const since = this.now() - this.limits.windowMs
    return record.times.filter((time) => time > since)
  }

  /** Senders with nothing recent to remember are dropped, so the map stays as small as the set of active senders. */
  private forgetIdle(): void {
    if (this.senders.size < 256) return
    const at = this.now()
    for (const [source, record] of this.senders) {
      if (this.recent(record).length === 0 && (record.alarmedAt === null || at - record.alarmedAt >= this.limits.alarmIntervalMs)) this.senders.delete(source)
    }
  }
}
