import { describe, expect, it } from 'vitest'
import type { ControlMeasures, LaneSettings } from '@shared/contract'
import { applyLaneRules, listExpiry, measuresInForce, type DecisionOutcome } from '../../src/main/core/policy'

const at = (iso: string) => Date.parse(iso)
const allow: DecisionOutcome = { decision: 'allow', reasonCode: 'platform_allow', reasonText: '核验通过，准予通行', ledText: '请通行' }
const refuse: DecisionOutcome = { decision: 'refuse', reasonCode: 'local_blacklist', reasonText: '本地黑名单车辆，禁止通行', ledText: '禁止通行' }
const lane = (settings: Partial<LaneSettings>): LaneSettings => ({ laneId: 'out1', allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: false, ...settings })

describe('list validity', () => {
  it('runs whole calendar months in Beijing time; permanent never ends', () => {
    // 2026-01-31 10:00 Beijing: a month on is 3 March (Date's overflow), three months 1 May, a year 31 Jan 2027.
    const added = at('2026-01-31T02:00:00Z')
    expect(new Date(listExpiry('1m', added)!).toISOString()).toBe('2026-03-03T02:00:00.000Z')
    expect(new Date(listExpiry('3m', added)!).toISOString()).toBe('2026-05-01T02:00:00.000Z')
    expect(new Date(listExpiry('1y', added)!).toISOString()).toBe('2027-01-31T02:00:00.000Z')
    expect(listExpiry('permanent', added)).toBeNull()
  })

  it('counts from the Beijing day: 23:30 UTC on the 31st is already 1 Feb in Beijing', () => {
    // 1 Feb 07:30 Beijing + 1 month = 1 Mar 07:30 Beijing (not 3 Mar, as counting from 31 Jan UTC would give).
    expect(new Date(listExpiry('1m', at('2026-01-31T23:30:00Z'))!).toISOString()).toBe('2026-02-28T23:30:00.000Z')
  })
})

describe('control measures in force', () => {
  const red: ControlMeasures = { level: '3', area: null, strategy: '2', enterpriseType: null, measures: null, note: '', startsAt: '2026-12-04T08:00:00+08:00', endsAt: '2026-12-06T08:00:00+08:00' }
  it('apply from their start until their end, and not outside', () => {
    expect(measuresInForce(red, at('2026-12-04T07:59:59+08:00')).strategy).toBeNull()
    expect(measuresInForce(red, at('2026-12-04T08:00:00+08:00')).strategy).toBe('2')
    expect(measuresInForce(red, at('2026-12-06T07:59:59+08:00')).level).toBe('3')
    expect(measuresInForce(red, at('2026-12-06T08:00:00+08:00')).level).toBeNull()
  })
  it('without a window apply at once and until changed', () => {
    expect(measuresInForce({ ...red, startsAt: null, endsAt: undefined }, 0).strategy).toBe('2')
  })
})

describe('lane rules', () => {
  const facts = { direction: 'out' as const, colour: '1', goodsRecorded: false }
  it('leave a lane without settings, and any refusal or hold, as decided', () => {
    expect(applyLaneRules(allow, null, facts)).toBe(allow)
    expect(applyLaneRules(refuse, lane({ confirmEveryOpening: true, allowedColours: ['0'] }), facts)).toBe(refuse)
  })
  it('refuse a plate colour the lane does not take, naming it', () => {
    const outcome = applyLaneRules(allow, lane({ allowedColours: ['0', '4'] }), facts)
    expect(outcome).toMatchObject({ decision: 'refuse', reasonCode: 'lane_colour_not_allowed', reasonText: '本车道不允许黄色车牌车辆通行' })
    expect(applyLaneRules(allow, lane({ allowedColours: ['1'] }), facts)).toBe(allow)
  })
  it('hold an exit without goods for the guard, and let it go once goods are recorded; entries are not asked', () => {
    const settings = lane({ goodsBeforeExit: true })
    expect(applyLaneRules(allow, settings, facts)).toMatchObject({ decision: 'guard', reasonCode: 'lane_goods_missing' })
    expect(applyLaneRules(allow, settings, { ...facts, goodsRecorded: true })).toBe(allow)
    expect(applyLaneRules(allow, settings, { ...facts, direction: 'in' })).toBe(allow)
  })
  it('二次确认 holds every truck the lane would let through, keeping why it would', () => {
    const outcome = applyLaneRules(allow, lane({ confirmEveryOpening: true }), facts)
    expect(outcome).toMatchObject({ decision: 'guard', reasonCode: 'lane_confirm_each' })
    expect(outcome.reasonText).toContain('核验通过')
  })
})
