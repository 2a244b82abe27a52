import { describe, expect, it } from 'vitest'
import type { Alarm } from '@shared/contract'
import { matches, type Filters } from '../../src/renderer/src/features/alarm-history/filters'

const alarm = (overrides: Partial<Alarm>): Alarm => ({
  id: 1,
  kind: 'forced_pass',
  laneId: 'in1',
  plate: '豫A12345',
  message: '闯岗',
  raisedAt: '2026-12-03T17:30:00Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  ...overrides
})
const none: Filters = { kind: '', laneId: '', from: '', to: '', state: '' }

describe('the alarm history filters', () => {
  it('match by type, lane and state', () => {
    expect(matches(alarm({}), none)).toBe(true)
    expect(matches(alarm({}), { ...none, kind: 'device_offline' })).toBe(false)
    expect(matches(alarm({}), { ...none, laneId: 'out1' })).toBe(false)
    expect(matches(alarm({}), { ...none, state: 'open' })).toBe(true)
    expect(matches(alarm({ acknowledgedAt: '2026-12-03T18:00:00Z' }), { ...none, state: 'open' })).toBe(false)
    expect(matches(alarm({ acknowledgedAt: '2026-12-03T18:00:00Z' }), { ...none, state: 'acknowledged' })).toBe(true)
    const offline = alarm({ kind: 'device_offline', acknowledgedAt: '2026-12-03T18:00:00Z', resolvedAt: null })
    expect(matches(offline, { ...none, state: 'unresolved' })).toBe(true)
    expect(matches({ ...offline, resolvedAt: '2026-12-03T19:00:00Z' }, { ...none, state: 'unresolved' })).toBe(false)
    expect(matches(alarm({ acknowledgedAt: '2026-12-03T18:00:00Z' }), { ...none, state: 'unresolved' })).toBe(false)
  })

  it('count days in Beijing time, both ends included: 17:30 UTC on the 3rd is the 4th in Beijing', () => {
    const late = alarm({})
    expect(matches(late, { ...none, from: '2026-12-04', to: '2026-12-04' })).toBe(true)
    expect(matches(late, { ...none, to: '2026-12-03' })).toBe(false)
    expect(matches(late, { ...none, from: '2026-12-05' })).toBe(false)
  })
})
