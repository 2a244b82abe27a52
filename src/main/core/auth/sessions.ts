import { randomBytes } from 'node:crypto'
import type { Actor } from '@shared/contract'

export interface Session {
  actor: Actor
  /** When this actor took over the session (login or shift hand-over). */
  since: number
  lastSeen: number
}

/** A whole 12-hour shift plus hand-over slack; an idle session ends sooner. */
export const SESSION_MAX_AGE_MS = 14 * 60 * 60 * 1000
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000

/**
 * Logged-in sessions by opaque random token, in memory: a restart of main logs everyone out, which a booth accepts.
 * The transports map their own notion of a client (HTTP cookie, Electron webContents) to a token.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>()
  private readonly endedListeners = new Set<(token: string) => void>()

  constructor(private readonly now: () => number = Date.now) {}

  create(actor: Actor): string {
    const token = randomBytes(32).toString('base64url')
    const at = this.now()
    this.sessions.set(token, { actor, since: at, lastSeen: at })
    return token
  }

  /** The live session of a token, touched; null when unknown, expired or idle too long. */
  get(token: string | undefined): Session | null {
    if (!token) return null
    const session = this.sessions.get(token)
    if (!session) return null
    const at = this.now()
    if (at - session.since > SESSION_MAX_AGE_MS || at - session.lastSeen > SESSION_IDLE_MS) {
      this.end(token)
      return null
    }
    session.lastSeen = at
    return session
  }

  /** Whether the token's session is live, without counting this as activity (event delivery is not the user). */
  isLive(token: string): boolean {
    const session = this.sessions.get(token)
    if (!session) return false
    const at = this.now()
    return at - session.since <= SESSION_MAX_AGE_MS && at - session.lastSeen <= SESSION_IDLE_MS
  }

  end(token: string): void {
    if (!this.sessions.delete(token)) return
    for (const listener of this.endedListeners) listener(token)
  }

  /** Told of every ended session, so a transport can close what hangs on it (e.g. its WebSockets). */
  onEnded(listener: (token: string) => void): () => void {
    this.endedListeners.add(listener)
    return () => this.endedListeners.delete(listener)
  }
}
