import { createServer } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from '../../src/main/core/http/body'
import { classifyReply, PlatformClient, PlatformUnavailableError } from '../../src/main/core/platform'
import { anyJson, fuzz, jsonishText } from './harness'

/** Replies shaped like the platform's: its fields with arbitrary values. */
const platformLike = fc.record(
  {
    code: fc.oneof(fc.constantFrom('200', '201', '401', '500', '952', 200, ' 200 '), anyJson),
    result: fc.oneof(fc.constantFrom('success', 'fail'), anyJson),
    err: fc.oneof(fc.constantFrom('401 token expired', ''), anyJson),
    access_token: fc.oneof(fc.string({ maxLength: 60 }), anyJson),
    datetime: fc.oneof(fc.constantFrom('2026-11-24 09:30:15', '2026-02-30 25:00:00'), anyJson),
    value: fc.oneof(
      anyJson,
      fc.record({ isControl: fc.oneof(fc.constantFrom('0', '1', '2'), anyJson), emissionStandard: anyJson, fuelType: anyJson }, { requiredKeys: [] })
    )
  },
  { requiredKeys: [] }
)

describe('platform replies under fuzzing', () => {
  it('classifies every reply as ok, retry, reauth or reject with a reason', async () => {
    const tried = await fuzz('platform reply classification', fc.tuple(fc.integer({ min: 100, max: 599 }), fc.oneof(anyJson, platformLike)), ([status, body]) => {
      const outcome = classifyReply(status, body)
      expect(['ok', 'retry', 'reauth', 'reject']).toContain(outcome.kind)
      if (outcome.kind !== 'ok') expect(outcome.reason.length).toBeGreaterThan(0)
      if (outcome.kind === 'ok') expect(status).toBeGreaterThanOrEqual(200)
    }, 2000)
    expect(tried).toBe(2000)
  })

  describe('the client, against a loopback platform answering random replies', () => {
    let next: { status: number; body: string } = { status: 200, body: '{}' }
    const server = createServer((request, response) => {
      request.resume()
      request.on('end', () => response.writeHead(next.status, { 'Content-Type': 'application/json' }).end(next.body))
    })
    let baseUrl = ''
    beforeAll(async () => {
      baseUrl = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}/ysgk`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('gives a verdict of strings or a PlatformUnavailableError, and an outcome for every upload', async () => {
      const tried = await fuzz(
        'platform client reply',
        fc.tuple(fc.constantFrom(200, 200, 200, 401, 500, 404), fc.oneof(jsonishText, platformLike.map((body) => JSON.stringify(body)))),
        async ([status, body]) => {
          next = { status, body }
          const client = new PlatformClient({ baseUrl, organ: '4110020001', username: 'gate01', password: 'p', requestTimeoutMs: 2000 })
          try {
            const verdict = await client.checkVehicle('豫A12345', '1', 2000)
            for (const field of ['isControl', 'controlReason', 'emissionStandard', 'fuelType'] as const) expect(typeof verdict[field]).toBe('string')
          } catch (error) {
            expect(error).toBeInstanceOf(PlatformUnavailableError)
            expect((error as Error).message.length).toBeGreaterThan(0)
          }
          const outcome = await client.putData('shareDrivingRecord', { lsh: 'x' })
          expect(['ok', 'retry', 'reauth', 'reject']).toContain(outcome.kind)
        },
        300
      )
      expect(tried).toBe(300)
    })
  })
})
