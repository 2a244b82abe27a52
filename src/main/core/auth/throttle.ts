/** Failed logins allowed per window for one account from one client, and how many such pairs are remembered. */
export interface ThrottleLimits {
  windowMs: number
  perAccount: number
  /** Memory bound: beyond it the pair with the oldest failure is forgotten first. */
  maxTracked: number
}

export const DEFAULT_LIMITS: ThrottleLimits = { windowMs: 15 * 60 * 1000, perAccount: 5, maxTracked: 10_000 }

/**
 * Login rate limit keyed by account *and* client: failures in a sliding window are counted for the pair, and while
 * the pair is over its limit its tries are refused without checking the password. All browsers of a booth reach the
 * host from the same loopback address, so a wider key (the client alone, or the account alone) would let one user's
 * typos — or a stranger's guesses — lock out every other user; a pair key never does.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now
  ) {}

  /** Milliseconds until this account may try again from this client; 0 when allowed now. */
  retryAfterMs(account: string, client: string): number {
    const recent = this.recent(pairKey(account, client))
    if (recent.length < this.limits.perAccount) return 0
    return recent[recent.length - this.limits.perAccount]! + this.limits.windowMs - this.now()
  }

  /**
   * Counts a try as failed. Callers count it *before* the (slow) password check and clear it on success, so that
   * parallel tries cannot all pass `retryAfterMs` before the first failure is recorded.
   */
  recordFailure(account: string, client: string): void {
    const key = pairKey(account, client)
    const recent = [...this.recent(key), this.now()]
    this.failures.delete(key) // re-inserted last: the map stays ordered by latest failure
    this.failures.set(key, recent)
    if (this.failures.size > this.limits.maxTracked) this.forgetOldest()
  }

  /** A correct password clears this pair only: the same account's failures from another client still count. */
  recordSuccess(account: string, client: string): void {
    this.failures.delete(pairKey(account, client))
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs
    return (this.failures.get(key) ?? []).filter((at) => at > since)
  }

  private forgetOldest(): void {
    const oldest = this.failures.keys().next()
    if (!oldest.done) this.failures.delete(oldest.value)
  }
}

const pairKey = (account: string, client: string) => JSON.stringify([account.trim().toLowerCase(), client])
