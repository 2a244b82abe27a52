import { describe, expect, it } from 'vitest'
import { dictionaries } from '@shared/spec'
import { classifyReply, RETURN_CODE_ACTIONS } from '../../src/main/core/platform'

describe('classifyReply (spec 2.5/2.6, ERRATA E03)', () => {
  it('succeeds only on HTTP 2xx with code 200/201 or result success', () => {
    expect(classifyReply(200, { code: '200', status: 'ok' }).kind).toBe('ok')
    expect(classifyReply(200, { code: '201', status: 'created' }).kind).toBe('ok')
    expect(classifyReply(200, { code: 200, status: 'numeric code' }).kind).toBe('ok')
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
    expect(outcome).toMatchObject({ kind: 'reject', reply: { code: '952' }, fixable: true })
    expect(classifyReply(200, { result: 'fail', err: 'license missing' })).toMatchObject({ kind: 'reject', fixable: true })
    for (const code of ['400', '702', '948', '949']) expect(classifyReply(200, { code }).kind).toBe('reject')
  })

  it('retries server trouble and unreadable replies', () => {
    expect(classifyReply(200, { code: '500', status: 'boom' }).kind).toBe('retry')
    expect(classifyReply(502, '<html>Bad gateway</html>').kind).toBe('retry')
    expect(classifyReply(200, 'garbage').kind).toBe('retry')
    expect(classifyReply(200, [1, 2]).kind).toBe('retry')
    expect(classifyReply(200, {}).kind).toBe('retry')
  })

  it('classifies every return code of 2.6, and nothing else', () => {
    expect(Object.keys(RETURN_CODE_ACTIONS).sort()).toEqual(dictionaries.returnCodes.entries.map((entry) => entry.code).sort())
  })
})

describe('each 2.6 return code in the body', () => {
  const cases: [code: string, expected: object][] = [
    ['200', { kind: 'ok' }],
    ['201', { kind: 'ok' }],
    ['400', { kind: 'reject', fixable: true }],
    ['401', { kind: 'reauth' }],
    ['403', { kind: 'reject', fixable: false }],
    ['404', { kind: 'reject', fixable: false }],
    ['500', { kind: 'retry' }],
    ['502', { kind: 'retry' }],
    ['702', { kind: 'reject', fixable: true }],
    ['948', { kind: 'reject', fixable: true }],
    ['949', { kind: 'reject', fixable: true }],
    ['952', { kind: 'reject', fixable: true }]
  ]
  for (const [code, expected] of cases) {
    it(`code ${code}`, () => {
      const name = dictionaries.returnCodes.entries.find((entry) => entry.code === code)!.name
      const outcome = classifyReply(200, { code, status: name })
      expect(outcome).toMatchObject(expected)
      if (outcome.kind !== 'ok') expect(outcome.reason).toContain(code)
    })
  }

  it('the same codes at the head of an {result, err} reply', () => {
    expect(classifyReply(200, { result: 'fail', err: '952 格式校验失败' })).toMatchObject({ kind: 'reject', fixable: true })
    expect(classifyReply(200, { result: 'fail', err: '404 未找到' })).toMatchObject({ kind: 'reject', fixable: false })
    expect(classifyReply(200, { result: 'fail', err: '500 服务器异常' }).kind).toBe('retry')
  })

  it('the codes that 2.6 lets travel in the HTTP status line', () => {
    expect(classifyReply(400, '')).toMatchObject({ kind: 'reject', fixable: true })
    expect(classifyReply(403, '<html>Forbidden</html>')).toMatchObject({ kind: 'reject', fixable: false, reason: 'HTTP 403: Forbidden' })
    expect(classifyReply(404, null)).toMatchObject({ kind: 'reject', fixable: false })
    expect(classifyReply(503, 'Service Unavailable').kind).toBe('retry')
  })

  it('codes 2.6 does not list: client-side ones are refused for good, others retried', () => {
    expect(classifyReply(200, { code: '418' })).toMatchObject({ kind: 'reject', fixable: false })
    expect(classifyReply(200, { code: '999' }).kind).toBe('retry')
  })
})

describe('reply style (ERRATA E03 switch)', () => {
  it('accepts either style by default', () => {
    expect(classifyReply(200, { result: 'success', err: '', data: {} }).kind).toBe('ok')
    expect(classifyReply(200, { code: '200', status: '' }).kind).toBe('ok')
  })

  it('refuses the other style when the city is configured as printed', () => {
    expect(classifyReply(200, { code: '200', status: '' }, { expectStyle: 'result-err-data' })).toMatchObject({ kind: 'reject', fixable: false })
    expect(classifyReply(200, { result: 'success', err: '' }, { expectStyle: 'code-status' })).toMatchObject({ kind: 'reject', fixable: false })
    expect(classifyReply(200, { result: 'success', err: '' }, { expectStyle: 'result-err-data' }).kind).toBe('ok')
  })
})
