import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SingleGate } from '../../src/main/roles/single-gate'
import { startOfflineApp } from './app'
import { anyJson, fuzz, jsonishText, storeSnapshot } from './harness'

let app: SingleGate
beforeAll(async () => {
  app = await startOfflineApp()
})
afterAll(() => app.close())

/** Bodies near the real format: its fields with arbitrary values, extra fields, or bad base64 images. */
const nearPush = fc
  .record(
    {
      plate: fc.oneof(fc.string(), fc.constantFrom('豫A12345', '豫ａ１２３４５', 'A12345', '豫A1234567', '')),
      colour: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('1', '9', 1 as unknown as string)),
      confidence: fc.oneof(fc.double(), anyJson),
      recognizedAt: fc.oneof(fc.string(), fc.constantFrom('2026-11-24T09:30:15+08:00', '2026-13-45T99:00:00Z')),
      images: fc.oneof(anyJson, fc.record({ front: fc.string(), rear: fc.base64String() }, { requiredKeys: [] })),
      extra: anyJson
    },
    { requiredKeys: [] }
  )
  .map((body) => JSON.stringify(body))

describe('LPR push bodies under fuzzing (POST /lpr/{laneId} over loopback HTTP)', () => {
  it('answers each bad body with a clear 4xx error and records nothing for it', async () => {
    const statuses = new Map<number, number>()
    const tried = await fuzz(
      'lpr push body',
      fc.tuple(fc.oneof(jsonishText, nearPush), fc.constantFrom('in1', 'out1', 'nope', '%E4%B8%AD'), fc.constantFrom('application/json', 'text/plain')),
      async ([body, lane, type]) => {
        const before = storeSnapshot(app.store)
        const response = await fetch(`${app.lpr.url}/lpr/${lane}`, { method: 'POST', headers: { 'Content-Type': type }, body })
        const reply = (await response.json()) as { error?: { code: string; message: string }; lsh?: string }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        if (response.status === 201) {
          expect(reply.lsh).toMatch(/^\d{10}/)
          expect(storeSnapshot(app.store).passages).toBe((before.passages as number) + 1)
          return
        }
        expect([400, 404, 413, 415]).toContain(response.status)
        expect(reply.error?.message.length).toBeGreaterThan(0)
        expect(storeSnapshot(app.store)).toEqual(before)
      },
      300
    )
    expect(tried).toBe(300)
    console.log(`lpr push statuses: ${JSON.stringify(Object.fromEntries(statuses))}`)
  })
})
