import { describe, expect, it } from 'vitest'
import { CameraTrust, type PushCredentials } from '../../src/main/booth/ingress/camera-trust'
import { RefusalLimiter } from '../../src/main/booth/ingress/refusals'
import { digestAuthorization } from '../../src/main/booth/devices/camera/digest-fetch'

const SECRET = 'lane-secret-0001'
const push = (over: Partial<PushCredentials> = {}): PushCredentials => ({
  remoteAddress: '192.168.1.64',
  method: 'POST',
  target: '/lpr/in1',
  key: null,
  authorization: undefined,
  ...over
})

describe('camera trust', () => {
  let clock = 1_000_000
  const trust = new CameraTrust(
    [
      { laneId: 'in1', allowFrom: ['192.168.1.64'], secret: null },
      { laneId: 'in2', allowFrom: [], secret: SECRET },
      { laneId: 'in3', allowFrom: ['192.168.1.0/24'], secret: SECRET },
      { laneId: 'in4', allowFrom: [], secret: null }
    ],
    () => clock
  )

  it('a lane with allowFrom takes its camera and refuses any other address with 403', () => {
    expect(trust.check('in1', push())).toEqual({ ok: true })
    expect(trust.check('in1', push({ remoteAddress: '::ffff:192.168.1.64' }))).toEqual({ ok: true })
    expect(trust.check('in1', push({ remoteAddress: '192.168.1.99' }))).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('192.168.1.99') })
  })

  it('a lane with a secret takes it as the URL key or the HTTP Basic password, and refuses a wrong one with 401', () => {
    expect(trust.check('in2', push({ key: SECRET }))).toEqual({ ok: true })
    expect(trust.check('in2', push({ key: 'guess' }))).toMatchObject({ ok: false, status: 401, challenge: false })
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    expect(trust.check('in2', push({ authorization: basic('camera', SECRET) }))).toEqual({ ok: true })
    expect(trust.check('in2', push({ authorization: basic('camera', 'guess') }))).toMatchObject({ ok: false, status: 401, challenge: false })
    // Without any credentials: the challenge (Digest cameras ask once without), not an alarm by itself.
    expect(trust.check('in2', push())).toMatchObject({ ok: false, status: 401, challenge: true })
  })

  it('answers a Digest challenge as a camera would (MD5 and SHA-256), and refuses a wrong password, another URI or an old nonce', () => {
    const url = new URL('http://192.168.1.10:5781/lpr/in2')
    for (const algorithm of ['MD5', 'SHA-256']) {
      const challenge = trust.challenges()[0]!.replace('algorithm=MD5', `algorithm=${algorithm}`)
      expect(trust.check('in2', push({ target: '/lpr/in2', authorization: digestAuthorization(challenge, 'POST', url, { username: 'camera', password: SECRET }) }))).toEqual({ ok: true })
    }
    const challenge = trust.challenges()[0]!
    const wrong = digestAuthorization(challenge, 'POST', url, { username: 'camera', password: 'guess' })
    expect(trust.check('in2', push({ target: '/lpr/in2', authorization: wrong }))).toMatchObject({ ok: false, status: 401 })
    const right = digestAuthorization(challenge, 'POST', url, { username: 'camera', password: SECRET })
    expect(trust.check('in2', push({ target: '/lpr/in1', authorization: right }))).toMatchObject({ ok: false, status: 401 })
    clock += 6 * 60_000
    expect(trust.check('in2', push({ target: '/lpr/in2', authorization: right }))).toMatchObject({ ok: false, status: 401 })
  })

  it('with both, the address is checked first and the secret still needed', () => {
    expect(trust.check('in3', push({ remoteAddress: '192.168.2.64', key: SECRET }))).toMatchObject({ ok: false, status: 403 })
    expect(trust.check('in3', push({ key: SECRET }))).toEqual({ ok: true })
    expect(trust.check('in3', push())).toMatchObject({ ok: false, status: 401 })
  })

  it('a lane with neither takes pushes from this machine only', () => {
    expect(trust.check('in4', push({ remoteAddress: '127.0.0.1' }))).toEqual({ ok: true })
    expect(trust.check('in4', push({ remoteAddress: '::1' }))).toEqual({ ok: true })
    expect(trust.check('in4', push())).toMatchObject({ ok: false, status: 403 })
  })
})

describe('refusals per sender', () => {
  it('audits each refusal up to the limit, then blocks the sender for the window; one alarm per interval', () => {
    let clock = 0
    const limiter = new RefusalLimiter({ maxRefusals: 3, windowMs: 60_000, alarmIntervalMs: 600_000 }, () => clock)
    expect(limiter.refused('a')).toEqual({ audit: true, alarm: true, nowBlocked: false })
    expect(limiter.refused('a')).toEqual({ audit: true, alarm: false, nowBlocked: false })
    expect(limiter.blocked('a')).toBe(false)
    expect(limiter.refused('a')).toEqual({ audit: true, alarm: false, nowBlocked: true })
    expect(limiter.blocked('a')).toBe(true)
    expect(limiter.blocked('b')).toBe(false)
    clock += 61_000
    expect(limiter.blocked('a')).toBe(false)
    clock += 600_000
    expect(limiter.refused('a').alarm).toBe(true)
  })

  it('a challenge answered with the right credentials does not count; unanswered challenges do once over the limit', () => {
    let clock = 0
    const limiter = new RefusalLimiter({ maxRefusals: 3, windowMs: 60_000, alarmIntervalMs: 600_000 }, () => clock++)
    for (let i = 0; i < 10; i++) {
      expect(limiter.refused('camera', true)).toEqual({ audit: false, alarm: false, nowBlocked: false })
      limiter.accepted('camera')
    }
    expect(limiter.refused('prober', true).audit).toBe(false)
    expect(limiter.refused('prober', true).audit).toBe(false)
    expect(limiter.refused('prober', true)).toEqual({ audit: true, alarm: true, nowBlocked: true })
  })
})
