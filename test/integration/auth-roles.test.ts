import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ApiSession } from './support'
import { startDemoBooth, type DemoBooth } from './auth-support'

let booth: DemoBooth

beforeAll(async () => {
  booth = await startDemoBooth()
})
afterAll(() => booth.close())

const passageCount = () => (booth.app.store.db.prepare('SELECT COUNT(*) AS n FROM passages').get() as { n: number }).n

function openEvents(cookie: string | null): Promise<{ opened: boolean; status?: number; socket?: WebSocket }> {
  const socket = new WebSocket(`${booth.host.url.replace('http', 'ws')}/api/events`, { headers: cookie ? { Cookie: cookie } : {} })
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ opened: true, socket }))
    socket.once('unexpected-response', (_request, response) => resolve({ opened: false, status: response.statusCode }))
  })
}

describe('roles are enforced in main', () => {
  it('refuses an unauthenticated call, and the store is unchanged', async () => {
    const anonymous = new ApiSession(booth.host.url)
    const reply = await anonymous.call('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' })
    expect(reply.status).toBe(401)
    expect(reply.body.error).toMatchObject({ code: 'unauthenticated' })
    expect(passageCount()).toBe(0)
    expect((await anonymous.call('passages.list', {})).body.error.code).toBe('unauthenticated')
    // Public commands answer without a session.
    expect((await anonymous.call('app.info')).body).toMatchObject({ ok: true, result: { demo: true } })
    expect((await anonymous.call('auth.whoami')).body.result).toEqual({ actor: null, since: null })
  })

  it('logs a guard in with an HttpOnly SameSite=Strict cookie; the guard cannot call admin commands', async () => {
    const guard = new ApiSession(booth.host.url)
    const login = await guard.login('guard', 'guard123')
    expect(login.body.result.actor).toEqual({ userId: 'guard', name: '演示门卫', role: 'guard' })
    expect(guard.setCookie).toMatch(/HttpOnly/)
    expect(guard.setCookie).toMatch(/SameSite=Strict/)

    const usersBefore = await booth.app.users.count()
    const add = await guard.call('users.add', { username: 'mallory', name: '冒名', role: 'admin', password: 'password-1' })
    expect(add.status).toBe(403)
    expect(add.body.error.code).toBe('forbidden')
    expect(await booth.app.users.count()).toBe(usersBefore)
    expect((await guard.call('audit.verify')).body.error.code).toBe('forbidden')
    expect((await booth.app.audit.list({ limit: 5, action: 'denied' })).map((entry) => [entry.actor?.userId, entry.subject])).toEqual([
      ['guard', 'audit.verify'],
      ['guard', 'users.add']
    ])

    // The same guard may do guard work, and the manual action is stamped with who did it.
    const submitted = await guard.call('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' })
    expect(submitted.body.ok).toBe(true)
    expect((await booth.app.audit.list({ limit: 1, action: 'plate.submit' }))[0]).toMatchObject({
      actor: { userId: 'guard', role: 'guard' },
      subject: 'laneId=in1',
      detail: { input: { plate: '豫A12345' } }
    })
  })

  it('lets an admin add a user; the password is stored only as a scrypt hash and never logged', async () => {
    const admin = new ApiSession(booth.host.url)
    await admin.login('admin', 'admin123')
    const add = await admin.call('users.add', { username: 'zhang', name: '张三', role: 'guard', password: 'zhang-secret-9' })
    expect(add.body.result).toMatchObject({ username: 'zhang', role: 'guard' })
    const stored = (await booth.app.users.find('zhang'))!
    expect(stored.passwordHash).toMatch(/^scrypt\$/)
    expect(stored.passwordHash).not.toContain('zhang-secret-9')
    const logged = JSON.stringify(await booth.app.audit.list({ limit: 500 }))
    expect(logged).toContain('zhang')
    expect(logged).not.toContain('zhang-secret-9')
    expect((await new ApiSession(booth.host.url).login('zhang', 'zhang-secret-9')).body.result.actor.userId).toBe('zhang')
  })

  it('opens the event socket only for a session, and closes it at logout', async () => {
    expect(await openEvents(null)).toMatchObject({ opened: false, status: 401 })
    expect(await openEvents('gate_session=forged-token')).toMatchObject({ opened: false, status: 401 })

    const guard = new ApiSession(booth.host.url)
    await guard.login('guard', 'guard123')
    const { opened, socket } = await openEvents(guard.cookie)
    expect(opened).toBe(true)
    const closed = new Promise<number>((resolve) => socket!.once('close', (code) => resolve(code)))
    const oldCookie = guard.cookie
    const logout = await guard.call('auth.logout')
    expect(logout.body.result).toEqual({ actor: null, since: null })
    expect(guard.setCookie).toMatch(/Max-Age=0/)
    expect(await closed).toBe(4401)
    // The old token is dead, even if someone kept a copy of it.
    guard.cookie = oldCookie
    expect((await guard.call('passages.list', {})).body.error.code).toBe('unauthenticated')
  })

  it('hands a shift over: the incoming user takes the session, the log records both', async () => {
    const session = new ApiSession(booth.host.url)
    await session.login('guard', 'guard123')
    const firstCookie = session.cookie
    const sameUser = await session.call('auth.handover', { username: 'guard', password: 'guard123', note: '' })
    expect(sameUser.body.error.code).toBe('invalid_input')
    const wrong = await session.call('auth.handover', { username: 'zhang', password: 'nope-nope', note: '' })
    expect(wrong.body.error.code).toBe('unauthenticated')
    expect((await session.call('auth.whoami')).body.result.actor.userId).toBe('guard')

    const handover = await session.call('auth.handover', { username: 'zhang', password: 'zhang-secret-9', note: '1号道闸抬杆偏慢' })
    expect(handover.body.result.actor).toMatchObject({ userId: 'zhang', name: '张三' })
    expect(session.cookie).not.toBe(firstCookie)
    expect((await booth.app.audit.list({ limit: 1, action: 'shift.handover' }))[0]).toMatchObject({
      actor: { userId: 'zhang' },
      detail: { from: { userId: 'guard' }, to: { userId: 'zhang' }, note: '1号道闸抬杆偏慢' }
    })
  })
})
