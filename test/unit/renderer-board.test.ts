import { describe, expect, it } from 'vitest'
import type { Alarm, Lane, LaneState, Passage } from '@shared/contract'
import { startOfBeijingDay } from '../../src/renderer/src/state/session'
import { createGateStore, upsertAlarm } from '../../src/renderer/src/state/store'
import { boardKeyCommand, laneIndexOfKey, LANE_ACTION_KEYS, SHORTCUTS } from '../../src/renderer/src/shortcuts'
import { features, screensOn, visibleTo } from '../../src/renderer/src/features'
import { catalogues } from '../../src/renderer/src/i18n'
import { laneActionEnabled, shownOf, type LaneAction } from '../../src/renderer/src/state/lanes'
import { attentionTarget, nextAttention, secondsLeft, waitingTrucks } from '../../src/renderer/src/state/attention'
import { shiftSummary } from '../../src/renderer/src/state/shift'

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

  it('keeps an acknowledged device alarm while its device is still off, and drops it once resolved', () => {
    const device = { ...alarm(3, '2026-01-01T08:00:00Z'), kind: 'device_offline' as const, resolvedAt: null }
    let alarms = upsertAlarm([], device)
    alarms = upsertAlarm(alarms, { ...device, acknowledgedAt: '2026-01-01T08:05:00Z', acknowledgedBy: '张三' })
    expect(alarms.map((a) => [a.id, a.acknowledgedBy])).toEqual([[3, '张三']])
    alarms = upsertAlarm(alarms, { ...device, acknowledgedAt: '2026-01-01T08:05:00Z', resolvedAt: '2026-01-01T08:20:00Z' })
    expect(alarms).toEqual([])
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

  it('a logout also leaves the screen and the lane messages behind: the next user starts on the journal', () => {
    const store = createGateStore()
    store.getState().sessionChanged({ actor: { userId: 'guard', name: '门卫', role: 'guard' }, since: '2026-01-01T00:00:00Z' })
    store.getState().showPanel('reports')
    store.getState().laneActivityChanged('in1', { busy: false, outcome: { ok: true } })
    store.getState().sessionChanged({ actor: null, since: null })
    expect(store.getState()).toMatchObject({ panel: 'journal', laneActivity: {} })
  })

  it('a focus request stays until the field it names has taken it', () => {
    const store = createGateStore()
    store.getState().requestFocus('journal-filter')
    expect(store.getState().focusRequest).toBe('journal-filter')
    store.getState().focusDone()
    expect(store.getState().focusRequest).toBeNull()
  })
})

describe('the feature table', () => {
  it('names each screen once, with a title in both languages, and keys that clash with nothing on the board', () => {
    const ids = features.map((feature) => feature.id)
    expect(ids).toEqual(['journal', 'alarms', 'audit', 'reports', 'ledgers', 'deadLetters', 'alarmHistory', 'settings'])
    for (const feature of features) for (const t of Object.values(catalogues)) expect(feature.title(t)).not.toBe('')
    const keys = features.flatMap((feature) => (feature.shortcut ? [feature.shortcut] : []))
    expect(keys).toEqual(['F8', 'F9'])
    expect(new Set([...keys, ...Object.values(SHORTCUTS)]).size).toBe(keys.length + Object.values(SHORTCUTS).length)
  })

  it('shows a guard the guard screens and an admin every screen; nobody logged in sees none', () => {
    const adminOnly = { role: 'admin' as const }
    expect(features.filter((feature) => visibleTo(feature, 'guard')).map((feature) => feature.id)).toEqual(['journal', 'alarms', 'audit', 'reports', 'ledgers'])
    expect(visibleTo(adminOnly, 'guard')).toBe(false)
    expect(visibleTo(adminOnly, 'admin')).toBe(true)
    expect(visibleTo(features[0]!, undefined)).toBe(false)
  })

  it('gives an admin the board (journal, alarms) and the workspace (the rest); a guard the board alone, never the settings', () => {
    const ids = (page: 'board' | 'admin', role: 'guard' | 'admin' | undefined) => screensOn(features, page, role).map((feature) => feature.id)
    expect(ids('board', 'admin')).toEqual(['journal', 'alarms'])
    expect(ids('admin', 'admin')).toEqual(['audit', 'reports', 'ledgers', 'deadLetters', 'alarmHistory', 'settings'])
    expect(ids('board', 'guard')).toEqual(['journal', 'alarms', 'audit', 'reports', 'ledgers'])
    expect(ids('admin', 'guard')).toEqual([])
    expect(ids('board', undefined)).toEqual([])
  })
})

describe('board keys', () => {
  const key = (key: string, code = '', altKey = false) => ({ key, code, altKey })

  it('map to the commands the buttons take: lanes, lane actions, the plate entry, each screen', () => {
    expect(boardKeyCommand(key('2', 'Digit2', true), features)).toEqual({ kind: 'choose-lane', index: 1 })
    for (const [pressed, action] of Object.entries(LANE_ACTION_KEYS)) expect(boardKeyCommand(key(pressed), features)).toEqual({ kind: 'lane-action', action })
    expect(boardKeyCommand(key('F6'), features)).toEqual({ kind: 'focus', target: 'plate-entry' })
    expect(boardKeyCommand(key('F8'), features)).toMatchObject({ kind: 'show', feature: { id: 'journal', focus: 'journal-filter' } })
    expect(boardKeyCommand(key('F9'), features)).toMatchObject({ kind: 'show', feature: { id: 'alarms' } })
  })

  it('leave everything else to the page, and a screen\'s key does nothing for a user who does not see it', () => {
    for (const pressed of ['a', '1', 'Enter', 'Escape', 'F5', 'F12']) expect(boardKeyCommand(key(pressed, pressed === '1' ? 'Digit1' : ''), features)).toBeNull()
    expect(boardKeyCommand(key('F9'), features.filter((feature) => feature.id !== 'alarms'))).toBeNull()
  })

  it('take a lane action only when its button would: release and refuse need a held truck with its passage, a correction its passage, none while busy', () => {
    expect(shownOf(undefined, undefined)).toBeNull()
    const shown = { plate: '豫A12345', plateColour: '1', decision: 'refuse' as const, reasonText: '', emissionStandard: '', fuelType: '', decidedOffline: false, at: '2026-01-01T00:00:00Z', passageId: null }
    const held: LaneState = { laneId: 'in1', phase: 'decided', current: { ...shown, reasonCode: 'platform_control', passageId: 7, heldUntil: '2026-01-01T00:03:00Z' }, queued: 0, queue: [], barrier: null }
    const closed: LaneState = { ...held, phase: 'idle', current: null }
    const actions: LaneAction[] = ['release', 'refuse', 'correct', 'recapture']
    expect(actions.map((action) => laneActionEnabled(action, null, false, undefined))).toEqual([false, false, false, true])
    expect(actions.map((action) => laneActionEnabled(action, shown, false, held))).toEqual([true, true, false, true])
    // The lane closed the passage (hold ran out, or the truck left): it reads closed, nothing to release or refuse.
    expect(actions.map((action) => laneActionEnabled(action, { ...shown, passageId: 7 }, false, closed))).toEqual([false, false, true, true])
    expect(actions.map((action) => laneActionEnabled(action, { ...shown, passageId: 7 }, true, held))).toEqual([false, false, false, false])
    // A held truck whose passage is not known (its write failed): nothing names it, so neither release nor refuse.
    const unrecorded: LaneState = { ...held, current: { ...held.current!, passageId: null } }
    expect(actions.map((action) => laneActionEnabled(action, shown, false, unrecorded))).toEqual([false, false, false, true])
  })

  it('put the oldest waiting truck first, whatever lane is selected, and let the guard switch', () => {
    const lanes = [
      { id: 'in1', name: '1号入口', direction: 'in' as const },
      { id: 'out1', name: '1号出口', direction: 'out' as const }
    ] as Lane[]
    const waitingOn = (laneId: string, plate: string, at: string): LaneState => ({
      laneId,
      phase: 'decided',
      current: { plate, plateColour: '1', decision: 'refuse', reasonCode: 'platform_control', reasonText: '禁止通行', emissionStandard: '', fuelType: '', decidedOffline: false, passageId: 1, at, heldUntil: null },
      queued: 0,
      queue: [],
      barrier: null
    })
    const states = { out1: waitingOn('out1', '豫A00004', '2026-01-01T00:00:05Z'), in1: waitingOn('in1', '豫A88888', '2026-01-01T00:00:01Z') }
    const waiting = waitingTrucks(lanes, states)
    expect(waiting.map((truck) => truck.plate)).toEqual(['豫A88888', '豫A00004'])
    expect(attentionTarget(waiting, null)?.laneId).toBe('in1')
    expect(nextAttention(waiting, null)).toBe('out1')
    expect(attentionTarget(waiting, 'out1')?.plate).toBe('豫A00004')
    expect(nextAttention(waiting, 'out1')).toBe('in1')
    // A picked lane that no longer waits falls back to the oldest.
    expect(attentionTarget(waitingTrucks(lanes, { in1: states.in1 }), 'out1')?.laneId).toBe('in1')
    expect(waitingTrucks(lanes, { in1: { ...states.in1, phase: 'barrier_open' } })).toEqual([])
    expect(secondsLeft('2026-01-01T00:00:10Z', Date.parse('2026-01-01T00:00:01.5Z'))).toBe(9)
  })
})

describe('the shift summary at hand-over', () => {
  it('counts the shift\'s trucks by outcome, its manual decisions and its alarms, nothing from before it', () => {
    const passage = (id: number, recognizedAt: string, decision: Passage['decision'], reasonCode: string, forced = false) =>
      ({ id, recognizedAt, decision, reasonCode, forced }) as Passage
    const passages = [
      passage(1, '2026-01-01T07:59:00Z', 'allow', 'platform_allow'),
      passage(2, '2026-01-01T08:10:00Z', 'allow', 'platform_allow'),
      passage(3, '2026-01-01T08:20:00Z', 'allow', 'manual_release_violation'),
      passage(4, '2026-01-01T08:30:00Z', 'allow', 'manual_release'),
      passage(5, '2026-01-01T08:40:00Z', 'refuse', 'manual_refuse'),
      passage(6, '2026-01-01T08:50:00Z', 'refuse', 'forced_unread', true),
      passage(7, '2026-01-01T09:00:00Z', 'guard', 'no_verdict')
    ]
    const alarms = [alarm(1, '2026-01-01T07:00:00Z'), alarm(2, '2026-01-01T08:15:00Z', '2026-01-01T08:16:00Z'), alarm(3, '2026-01-01T08:45:00Z')]
    expect(shiftSummary(passages, alarms, '2026-01-01T08:00:00Z')).toEqual({
      passages: 6,
      allowed: 3,
      refused: 2,
      waiting: 1,
      manualReleases: 2,
      violations: 1,
      manualRefusals: 1,
      forced: 1,
      alarms: 2,
      openAlarms: 1
    })
  })
})
