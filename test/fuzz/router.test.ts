import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from '@shared/contract'
import type { SingleGate } from '../../src/main/roles/single-gate'
import { startOfflineApp } from './app'
import { anyJson, fuzz, storeSnapshot } from './harness'

let app: SingleGate
beforeAll(async () => {
  app = await startOfflineApp()
})
afterAll(() => app.close())

/** Commands that change the store when they succeed. */
const WRITES = new Set(['plate.submit'])

describe('API commands under fuzzing (the router with random inputs)', () => {
  it('answers every command and input with a result or a clear, typed error, and a refusal changes nothing', async () => {
    const codes = new Map<string, number>()
    const tried = await fuzz(
      'api command',
      fc.oneof(
        fc.tuple(
          fc.oneof(fc.constantFrom(...Object.keys(commands)), fc.string({ maxLength: 20 })),
          fc.oneof(
            anyJson,
            fc.record({ laneId: fc.oneof(fc.constantFrom('in1', 'out1'), fc.string()), plate: fc.string(), colour: fc.string(), limit: fc.integer() }, { requiredKeys: [] })
          )
        ),
        // Statistics queries near the valid ones: real and impossible dates, long ranges, unknown lanes and formats.
        fc.tuple(
          fc.constantFrom('stats.daily', 'stats.export'),
          fc.record(
            {
              from: fc.constantFrom('2026-11-01', '2026-02-30', '2026-13-45', '2026-1-1', '', '2024-01-01'),
              to: fc.constantFrom('2026-11-30', '2025-01-01', 'x', '2026-11-01'),
              laneId: fc.constantFrom('in1', 'nope'),
              format: fc.constantFrom('xlsx', 'pdf', 'doc')
            },
            { requiredKeys: ['from', 'to'] }
          )
        )
      ),
      async ([command, input]) => {
        const before = storeSnapshot(app.store)
        const reply = await app.router.dispatch(command, input)
        const outcome = reply.ok ? 'ok' : reply.error.code
        codes.set(outcome, (codes.get(outcome) ?? 0) + 1)
        if (!reply.ok) {
          expect(reply.error.code).not.toBe('internal')
          expect(reply.error.message.length).toBeGreaterThan(0)
        }
        if (!reply.ok || !WRITES.has(command)) expect(storeSnapshot(app.store)).toEqual(before)
      },
      500
    )
    expect(tried).toBe(500)
    console.log(`api command outcomes: ${JSON.stringify(Object.fromEntries(codes))}`)
  })
})
