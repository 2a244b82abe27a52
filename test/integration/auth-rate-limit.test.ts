import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, LoginThrottle } from '../../src/main/core/auth'
import { ApiSession } from './support'
import { startDemoBooth, type DemoBooth } from './auth-support'

let booth: DemoBooth

beforeAll(async () => {
  booth = await startDemoBooth()
})
afterAll(() => booth.close())

describe('login rate limit over HTTP', () => {
  it('refuses even the right password after too many wrong ones for that user, and logs the attempts', async () => {
    const client = new ApiSession(booth.host.url)
    for (let i = 0; i < DEFAULT_LIMITS.perUser; i++) {
      const wrong = await client.login('guard', `wrong-${i}`)
      expect(wrong.status).toBe(401)
      expect(wrong.body.error).toMatchObject({ code: 'unauthenticated', message: '用户名或密码错误' })
    }
    const limited = await client.login('guard', 'guard123')
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(limited.body.error.message).toMatch(/分钟后再试/)
    expect(client.cookie).toBeNull()
    expect(await booth.app.audit.list({ limit: 50, action: 'auth.login_failed' })).toHaveLength(DEFAULT_LIMITS.perUser)
    expect((await booth.app.audit.list({ limit: 5, action: 'auth.rate_limited' }))[0]).toMatchObject({ subject: 'guard' })
    // Another user is not locked out by the guard's failures.
    expect((await client.login('admin', 'admin123')).body.result.actor.userId).toBe('admin')
  })

  it('an unknown user name fails like a wrong password', async () => {
    const reply = await new ApiSession(booth.host.url).login('nobody', 'whatever')
    expect(reply.body.error).toMatchObject({ code: 'unauthenticated', message: '用户名或密码错误' })
  })
})

describe('LoginThrottle', () => {
  const limits = { windowMs: 60_000, perUser: 3, perClient: 5 }

  it('counts per user and per client, and forgets failures after the window', () => {
    let now = 1_000_000
    const throttle = new LoginThrottle(limits, () => now)
    for (let i = 0; i < 3; i++) throttle.recordFailure('guard', 'a')
    expect(throttle.retryAfterMs('guard', 'b')).toBe(60_000)
    expect(throttle.retryAfterMs('admin', 'a')).toBe(0)
    throttle.recordFailure('x', 'a')
    throttle.recordFailure('y', 'a')
    // The client tried five names: it is blocked for every name.
    expect(throttle.retryAfterMs('admin', 'a')).toBeGreaterThan(0)
    expect(throttle.retryAfterMs('admin', 'c')).toBe(0)
    now += 60_001
    expect(throttle.retryAfterMs('guard', 'a')).toBe(0)
  })

  it('a success clears the user count but not the client count', () => {
    const throttle = new LoginThrottle(limits, () => 0)
    for (let i = 0; i < 2; i++) throttle.recordFailure('guard', 'a')
    throttle.recordSuccess('guard')
    throttle.recordFailure('guard', 'a')
    expect(throttle.retryAfterMs('guard', 'b')).toBe(0)
    for (let i = 0; i < 2; i++) throttle.recordFailure('other', 'a')
    expect(throttle.retryAfterMs('third', 'a')).toBeGreaterThan(0)
  })
})
