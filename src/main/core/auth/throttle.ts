/** Failed logins allowed per window, per user name and per client, before further tries are refused. */
export interface ThrottleLimits {
  windowMs: number
  perUser: number
  perClient: number
}

export const DEFAULT_LIMITS: ThrottleLimits = { windowMs: 15 * 60 * 1000, perUser: 5, perClient: 20 }

/**
 * Login rate limit: counts failures in a sliding window per user name and per client; while either is over its
 * limit every try is refused without checking the password, so guessing costs the attacker the whole window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now
  ) {}

  /** Milliseconds until a try is allowed again for this user and client; 0 when allowed now. */
  retryAfterMs(username: string, client: string): number {
    return Math.max(this.waitFor(userKey(username), this.limits.perUser), this.waitFor(clientKey(client), this.limits.perClient))
  }

  recordFailure(username: string, client: string): void {
    for (const key of [userKey(username), clientKey(client)]) this.failures.set(key, [...this.recent(key), this.now()])
  }

  /** A correct password clears the user's count (not the client's: one good account must not unlock guessing). */
  recordSuccess(username: string): void {
    this.failures.delete(userKey(username))
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs
    return (this.failures.get(key) ?? []).filter((at) => at > since)
  }

  private waitFor(key: string, limit: number): number {
    const recent = this.recent(key)
    if (recent.length < limit) return 0
    return recent[recent.length - limit]! + this.limits.windowMs - this.now()
  }
}

const userKey = (username: string) => `user:${username.toLowerCase()}`
const clientKey = (client: string) => `client:${client}`
