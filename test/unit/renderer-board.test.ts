import { describe, expect, it } from 'vitest'
import type { Alarm } from '@shared/contract'
import { startOfBeijingDay } from '../../src/renderer/src/state/session'
import { createGateStore, upsertAlarm } from '../../src/renderer/src/state/store'
import { laneIndexOfKey } from '../../src/renderer/src/shortcuts'

function alarm(id: number, raisedAt: string, acknowledgedAt: string | null = null): Alarm {
  return { id, kind: 'dwell_overtime', laneId: 'in1', plate: '豫A12345', message: '停留超时', raisedAt, acknowledgedAt, acknowledgedBy: null, note: null }
}

describe('open alarms', () => {
  it('keeps them newest first and drops one once acknowledged', () => {
    let alarms = [alarm(1, '2026-01-01T08:00:00Z')]
    alarms = upsertAlarm(alarms, alarm(2, '2026-01-01T09:00:00Z'))
    expect(alarms.map((a) => a.id)).toEqual([2, 1])
    alarms = upsertAlarm(alarms, alarm(1, '2026-01-01T08:00:00Z', '2026-01-01T10:00:00Z'))
    expect(alarms.map((a) => a.id)).toEqual([2])
  })

  it('the store follows alarm events', () => {
    const store = createGateStore()
    store.getState().alarmsLoaded([alarm(1, '2026-01-01T08:00:00Z'), alarm(2, '2026-01-01T07:00:00Z', '2026-01-01T07:30:00Z')])
    expect(store.getState().alarms.map((a) => a.id)).toEqual([1])
  })
})

describe('today, Beijing time', () => {
  it('starts at 16:00 UTC of the day before', () => {
    expect(startOfBeijingDay(Date.parse('2026-03-02T15:59:59Z'))).toBe('2026-03-01T16:00:00.000Z')
    expect(startOfBeijingDay(Date.parse('2026-03-02T16:00:00Z'))).toBe('2026-03-02T16:00:00.000Z')
  })
})

describe('lane keys', () => {
  it('Alt+digit chooses a lane; a bare digit does not (it is typed into plates)', () => {
    expect(laneIndexOfKey({ altKey: true, code: 'Digit1' })).toBe(0)
    expect(laneIndexOfKey({ altKey: true, code: 'Digit4' })).toBe(3)
    expect(laneIndexOfKey({ altKey: false, code: 'Digit1' })).toBeNull()
    expect(laneIndexOfKey({ altKey: true, code: 'KeyA' })).toBeNull()
  })
})

describe('session state', () => {
  it('a logout closes any open dialog', () => {
    const store = createGateStore()
    store.getState().sessionChanged({ actor: { userId: 'guard', name: '门卫', role: 'guard' }, since: '2026-01-01T00:00:00Z' })
    store.getState().openDialog({ kind: 'handover' })
    store.getState().sessionChanged({ actor: null, since: null })
    expect(store.getState().dialog).toBeNull()
  })
})
