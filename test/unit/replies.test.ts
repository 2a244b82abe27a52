import { describe, expect, it } from 'vitest'
import { classifyReply } from '../../src/main/platform'

describe('classifyReply (spec 2.5/2.6, ERRATA E03)', () => {
  it('succeeds only on HTTP 2xx with code 200/201 or result success', () => {
    expect(classifyReply(200, { code: '200', status: 'ok' }).kind).toBe('ok')
    expect(classifyReply(200, { code: '201', status: 'created' }).kind).toBe('ok')
    expect(classifyReply(200, { result: 'success', err: '', data: {} }).kind).toBe('ok')
    expect(classifyReply(500, { code: '200' }).kind).toBe('retry')
  })

  it('asks for a new token on 401 in the status line, the code or the err text', () => {
    expect(classifyReply(401, null).kind).toBe('reauth')
    expect(classifyReply(200, { code: '401', status: '未授权' }).kind).toBe('reauth')
    expect(classifyReply(200, { result: 'fail', err: '401 token expired' }).kind).toBe('reauth')
  })

  it('rejects data the platform refused, keeping the reply', () => {
    const outcome = classifyReply(200, { code: '952', status: '格式校验失败: value.cpys' })
    expect(outcome).toMatchObject({ kind: 'reject', reply: { code: '952' } })
    expect(classifyReply(200, { result: 'fail', err: 'license missing' }).kind).toBe('reject')
    for (const code of ['400', '702', '948', '949']) expect(classifyReply(200, { code }).kind).toBe('reject')
  })

  it('retries server trouble and unreadable replies', () => {
    expect(classifyReply(200, { code: '500', status: 'boom' }).kind).toBe('retry')
    expect(classifyReply(502, '<html>Bad gateway</html>').kind).toBe('retry')
    expect(classifyReply(200, 'garbage').kind).toBe('retry')
    expect(classifyReply(200, [1, 2]).kind).toBe('retry')
    expect(classifyReply(200, {}).kind).toBe('retry')
  })
})
