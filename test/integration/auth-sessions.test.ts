import { describe, expect, it } from 'vitest'
import { sessionContext } from '../../src/main/core/api'
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS, SessionStore } from '../../src/main/core/auth'

const guard = { userId: 'guard', name: '门卫', role: 'guard' as const }
const admin = { userId: 'admin', name: '管理员', role: 'admin' as const }

describe('SessionStore', () => {
  it('ends a session after the idle limit, and after the shift limit however busy', () => {
    let now = 0
    const sessions = new SessionStore(() => now)
    const idle = sessions.create(guard)
    now += SESSION_IDLE_MS + 1
    expect(sessions.get(idle)).toBeNull()

    const busy = sessions.create(guard)
    const ended: string[] = []
    sessions.onEnded((token) => ended.push(token))
    const createdAt = now
    for (let at = createdAt; at <= createdAt + SESSION_MAX_AGE_MS; at += SESSION_IDLE_MS / 2) {
      now = at
      expect(sessions.get(busy)?.actor).toEqual(guard)
    }
    now = createdAt + SESSION_MAX_AGE_MS + 1
    expect(sessions.isLive(busy)).toBe(false)
    expect(sessions.get(busy)).toBeNull()
    expect(ended).toEqual([busy])
  })

  it('isLive does not count as activity', () => {
    let now = 0
    const sessions = new SessionStore(() => now)
    const token = sessions.create(guard)
    now += SESSION_IDLE_MS - 1
    expect(sessions.isLive(token)).toBe(true)
    now += 2
    expect(sessions.isLive(token)).toBe(false)
  })
})

describe('sessionContext: one client (a cookie jar, an Electron window) across calls', () => {
  /** What the Electron shell keeps per webContents. */
  function ipcClient(sessions: SessionStore) {
    let token: string | undefined
    return { context: () => sessionContext(sessions, token, 'ipc:1', (next) => (token = next ?? undefined)), token: () => token }
  }

  it('signs in with a fresh token each time, ends the old one, and signs out', () => {
    const sessions = new SessionStore()
    const client = ipcClient(sessions)
    expect(client.context().actor).toBeNull()

    client.context().session!.signIn(guard)
    const first = client.token()!
    expect(client.context().actor).toEqual(guard)
    expect(client.context().session!.current()?.actor).toEqual(guard)

    client.context().session!.signIn(admin)
    expect(client.token()).not.toBe(first)
    expect(sessions.get(first)).toBeNull()
    expect(client.context().actor).toEqual(admin)

    const last = client.token()!
    client.context().session!.signOut()
    expect(client.token()).toBeUndefined()
    expect(sessions.get(last)).toBeNull()
    expect(client.context().actor).toBeNull()
  })
})
