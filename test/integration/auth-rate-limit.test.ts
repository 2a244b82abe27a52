import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, LoginThrottle } from '../../src/main/core/auth'
import { ApiSession } from './support'
import { startDemoBooth, type DemoBooth } from './auth-support'

let booth: DemoBooth

beforeAll(async () => {
  booth = await startDemoBooth()
})
afterAll(() => booth.close())

/** A login over a connection from `localAddress` (127.0.0.2: a second client of the same host). */
function loginFrom(localAddress: string, username: string, password: string): Promise<{ status: number; body: any }> {
  const url = new URL(`${booth.host.url}/api/auth.login`)
  const payload = JSON.stringify({ username, password })
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}

describe('login rate limit over HTTP', () => {
  it('refuses even the right password after too many wrong ones for that account, and logs the attempts', async () => {
    const client = new ApiSession(booth.host.url)
    for (let i = 0; i < DEFAULT_LIMITS.perAccount; i++) {
      const wrong = await client.login('guard', `wrong-${i}`)
      expect(wrong.status).toBe(401)
      expect(wrong.body.error).toMatchObject({ code: 'unauthenticated', message: '用户名或密码错误' })
    }
    const limited = await client.login('guard', 'guard123')
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(limited.body.error.message).toMatch(/分钟后再试/)
    expect(client.cookie).toBeNull()
    expect(await booth.app.audit.list({ limit: 50, action: 'auth.login_failed' })).toHaveLength(DEFAULT_LIMITS.perAccount)
    expect((await booth.app.audit.list({ limit: 5, action: 'auth.rate_limited' }))[0]).toMatchObject({ subject: 'guard' })
    // Another user of the same browser is not locked out by the guard's failures.
    expect((await client.login('admin', 'admin123')).body.result.actor.userId).toBe('admin')
  })

  it('the same account from another client is not locked out by this client\'s failures', async () => {
    // 'guard' is over its limit from 127.0.0.1 (the test above); 127.0.0.2 is a different client.
    expect((await loginFrom('127.0.0.1', 'guard', 'guard123')).status).toBe(429)
    const other = await loginFrom('127.0.0.2', 'guard', 'guard123')
    expect(other.status).toBe(200)
    expect(other.body.result.actor.userId).toBe('guard')
  })

  it('many failures on many names from the local browser never lock out a user who has not failed', async () => {
    const client = new ApiSession(booth.host.url)
    for (let i = 0; i < 25; i++) expect((await client.login(`typo-${i % 6}`, 'whatever')).status).toBeOneOf([401, 429])
    const admin = await client.login('admin', 'admin123')
    expect(admin.status).toBe(200)
    expect(admin.body.result.actor.userId).toBe('admin')
  })

  it('parallel guesses cannot slip past the limit while passwords are being checked', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => loginFrom('127.0.0.1', 'parallel', `guess-${i}`)))
    const statuses = replies.map((reply) => reply.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(DEFAULT_LIMITS.perAccount)
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - DEFAULT_LIMITS.perAccount)
  })

  it('an unknown user name fails like a wrong password', async () => {
    const reply = await new ApiSession(booth.host.url).login('nobody', 'whatever')
    expect(reply.body.error).toMatchObject({ code: 'unauthenticated', message: '用户名或密码错误' })
  })
})

describe('LoginThrottle', () => {
  const limits = { windowMs: 60_000, perAccount: 3, maxTracked: 100 }

  it('counts per account and client together, and forgets failures after the window', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(limits, () => now)
    for (let i = 0; i < 3; i++) throttle.recordFailure('guard', 'a')
    expect(throttle.retryAfterMs('guard', 'a')).toBe(60_000)
    expect(throttle.retryAfterMs(' GUARD ', 'a')).toBe(60_000)
    expect(throttle.retryAfterMs('guard', 'b')).toBe(0)
    expect(throttle.retryAfterMs('admin', 'a')).toBe(0)
    // A client that failed on many names is not blocked for a name it has not failed on.
    for (const name of ['x', 'y', 'z', 'w', 'v']) for (let i = 0; i < 3; i++) throttle.recordFailure(name, 'a')
    expect(throttle.retryAfterMs('admin', 'a')).toBe(0)
    now += 60_001
    expect(throttle.retryAfterMs('guard', 'a')).toBe(0)
  })

  it('a success clears that pair only', () => {
    const throttle = new LoginThrottle(limits, () => 0)
    for (let i = 0; i < 2; i++) throttle.recordFailure('guard', 'a')
    for (let i = 0; i < 3; i++) throttle.recordFailure('guard', 'b')
    throttle.recordSuccess('guard', 'a')
    throttle.recordFailure('guard', 'a')
    expect(throttle.retryAfterMs('guard', 'a')).toBe(0)
    expect(throttle.retryAfterMs('guard', 'b')).toBeGreaterThan(0)
  })

  it('remembers at most maxTracked pairs, forgetting the one whose last failure is oldest', () => {
    let now = 0
    const throttle = new LoginThrottle({ windowMs: 60_000, perAccount: 1, maxTracked: 3 }, () => now)
    for (const name of ['a', 'b', 'c']) {
      throttle.recordFailure(name, 'x')
      now += 1
    }
    throttle.recordFailure('a', 'x') // 'a' is now the newest
    throttle.recordFailure('d', 'x')
    expect(throttle.retryAfterMs('b', 'x')).toBe(0)
    for (const name of ['a', 'c', 'd']) expect(throttle.retryAfterMs(name, 'x')).toBeGreaterThan(0)
  })
})
