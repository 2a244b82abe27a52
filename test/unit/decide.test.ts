import { describe, expect, it } from 'vitest'
import type { ControlMeasures, Verdict } from '@shared/contract'
import { dictionaries } from '@shared/spec'
import { decide, type DecisionInput } from '../../src/main/core/policy'

const NONE: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '' }
const verdict = (isControl: string, emissionStandard = '6', fuelType = 'B', controlReason = ''): Verdict => ({ isControl, controlReason, emissionStandard, fuelType })

function input(overrides: Partial<DecisionInput>): DecisionInput {
  return { direction: 'in', verdict: verdict('0'), source: 'platform', measures: NONE, ledger: null, whitelisted: false, blacklisted: false, knownInside: false, ...overrides }
}

describe('decide: the platform verdict (ERRATA E32)', () => {
  it('allows isControl 0 and refuses isControl 1 with the platform reason', () => {
    expect(decide(input({}))).toMatchObject({ decision: 'allow', reasonCode: 'platform_allow', ledText: '请通行' })
    const refused = decide(input({ verdict: verdict('1', '4', 'B', '橙色预警禁止国四柴油车') }))
    expect(refused).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control', ledText: '禁止通行' })
    expect(refused.reasonText).toContain('橙色预警禁止国四柴油车')
  })

  it('hands any other isControl value to the guard', () => {
    expect(decide(input({ verdict: verdict('2') }))).toMatchObject({ decision: 'guard', reasonCode: 'platform_undecided' })
  })

  it('marks cached verdicts as offline in code and text', () => {
    const allowed = decide(input({ source: 'cache' }))
    expect(allowed.reasonCode).toBe('cache_allow')
    expect(allowed.reasonText).toContain('离线')
    expect(decide(input({ source: 'cache', verdict: verdict('1') })).reasonCode).toBe('cache_control')
  })

  it('never allows a vehicle nothing is known about', () => {
    expect(decide(input({ verdict: null, source: 'none' }))).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict' })
  })
})

describe('decide: local lists, ledger and direction', () => {
  it('refuses a blacklisted plate even when the platform allows it', () => {
    expect(decide(input({ blacklisted: true }))).toMatchObject({ decision: 'refuse', reasonCode: 'local_blacklist' })
  })

  it('never lets the whitelist override a platform control', () => {
    expect(decide(input({ whitelisted: true, verdict: verdict('1') }))).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control' })
  })

  it('offline: the in-plant ledger, then the whitelist, then (exit lanes) a vehicle known inside', () => {
    const offline = { verdict: null, source: 'none' as const }
    expect(decide(input({ ...offline, ledger: { kind: 'inner', emissionStandard: '6', carStatus: '1' } }))).toMatchObject({ decision: 'allow', reasonCode: 'inner_vehicle' })
    expect(decide(input({ ...offline, ledger: { kind: 'inner', emissionStandard: '6', carStatus: '2' } }))).toMatchObject({ decision: 'refuse', reasonCode: 'inner_vehicle_inactive' })
    expect(decide(input({ ...offline, whitelisted: true }))).toMatchObject({ decision: 'allow', reasonCode: 'local_whitelist' })
    expect(decide(input({ ...offline, direction: 'out', knownInside: true }))).toMatchObject({ decision: 'allow', reasonCode: 'exit_known_inside' })
    expect(decide(input({ ...offline, direction: 'in', knownInside: true }))).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict' })
    for (const code of ['inner_vehicle', 'local_whitelist']) {
      const outcome = decide(input({ ...offline, whitelisted: true, ledger: code === 'inner_vehicle' ? { kind: 'inner', emissionStandard: '6', carStatus: '1' } : null }))
      expect(outcome.reasonText).toContain('离线')
    }
  })

  it('under an emission ban, a vehicle whose stage is unknown offline goes to the guard, whitelisted or not', () => {
    const measures = { ...NONE, level: '2' as const, strategy: '2' as const }
    expect(decide(input({ verdict: null, source: 'none', whitelisted: true, measures }))).toMatchObject({ decision: 'guard', reasonCode: 'measure_vehicle_unknown' })
    // The in-plant ledger knows the stage: 国Ⅵ passes a 国四 ban whatever the fuel.
    expect(decide(input({ verdict: null, source: 'none', measures, ledger: { kind: 'inner', emissionStandard: '6', carStatus: '1' } }))).toMatchObject({ decision: 'allow' })
  })
})

describe('decide: measures that stop all transport', () => {
  it.each([
    ['strategy 7', { strategy: '7' as const }],
    ['measures 5 停产且停止车辆运输', { measures: '5' as const }],
    ['measures 6', { measures: '6' as const }],
    ['measures 7', { measures: '7' as const }],
    ['enterprise type 8 长期停产', { enterpriseType: '8' as const }]
  ])('%s refuses even a clean electric truck, on entry and exit', (_name, measures) => {
    for (const direction of ['in', 'out'] as const) {
      expect(decide(input({ direction, verdict: verdict('0', 'D', 'C'), measures: { ...NONE, level: '3', ...measures } }))).toMatchObject({ decision: 'refuse', reasonCode: 'measure_stop_transport' })
    }
  })

  it.each(['1', '2', '3', '8'] as const)('production-only measure %s does not stop trucks', (code) => {
    expect(decide(input({ measures: { ...NONE, measures: code } }))).toMatchObject({ decision: 'allow' })
  })
})

/**
 * The B7.20 table as this booth reads it (ERRATA E65): strategy → highest banned stage for heavy diesel (B) and gas
 * (E 天然气, F 液化石油气) trucks. Other fuels and electric (stage D) are never banned by 1–6.
 */
const BANNED_UP_TO: Record<string, { diesel: number; gas: number; halved: boolean }> = {
  '1': { diesel: 3, gas: 3, halved: false },
  '2': { diesel: 4, gas: 4, halved: false },
  '3': { diesel: 4, gas: 5, halved: false },
  '4': { diesel: 3, gas: 3, halved: true },
  '5': { diesel: 4, gas: 4, halved: true },
  '6': { diesel: 4, gas: 5, halved: true }
}
const stages = dictionaries.emissionStage.entries.map((entry) => entry.code)
const fuels = dictionaries.fuelType.entries.map((entry) => entry.code)

function expected(strategy: string, area: '1' | '2', stage: string, fuel: string): string {
  if (strategy === '7') return 'refuse'
  const limits = BANNED_UP_TO[strategy]!
  const kind = fuel === 'B' ? 'diesel' : fuel === 'E' || fuel === 'F' ? (area === '2' ? 'exempt' : 'gas') : fuel === 'Z' ? 'unknown' : 'exempt'
  if (stage === 'D' || kind === 'exempt') return 'allow'
  if (!/^[0-7]$/.test(stage)) return 'guard' // X 无排放阶段 on a diesel/gas/unknown-fuel truck
  const n = Number(stage)
  if (kind === 'unknown') return n > Math.max(limits.diesel, area === '2' ? -1 : limits.gas) ? 'allow' : 'guard'
  return n <= limits[kind] ? 'refuse' : 'allow'
}

describe('decide: every strategy × emission stage × fuel type (B7.20 × B7.6 × B7.12), both control areas', () => {
  const cases = ['1', '2', '3', '4', '5', '6', '7'].flatMap((strategy) =>
    (['1', '2'] as const).flatMap((area) => stages.flatMap((stage) => fuels.map((fuel) => ({ strategy, area, stage, fuel }))))
  )

  it('covers the whole table', () => {
    expect(cases).toHaveLength(7 * 2 * 10 * 14)
  })

  it.each(cases)('strategy $strategy area $area stage $stage fuel $fuel', ({ strategy, area, stage, fuel }) => {
    const measures = { ...NONE, level: '2' as const, area, strategy: strategy as ControlMeasures['strategy'] }
    const outcome = decide(input({ verdict: verdict('0', stage, fuel), measures }))
    expect(outcome.decision).toBe(expected(strategy, area, stage, fuel))
    expect(outcome.reasonCode).toMatch(/^[a-z_]+$/)
    expect(outcome.reasonText.length).toBeGreaterThan(0)
    if (outcome.decision === 'refuse') expect(outcome.reasonText).toMatch(/^禁止通行：橙色管控期间/)
    if (outcome.decision === 'allow') expect(outcome.reasonText.includes('限运 50%')).toBe(BANNED_UP_TO[strategy]!.halved)
  })

  it('with no strategy in force, emission stage and fuel do not matter', () => {
    for (const stage of stages) for (const fuel of fuels) expect(decide(input({ verdict: verdict('0', stage, fuel) })).decision).toBe('allow')
  })

  it('a 民生保障 enterprise (B7.21 7) is not asked to halve its transport', () => {
    const outcome = decide(input({ verdict: verdict('0', '6', 'B'), measures: { ...NONE, strategy: '5', enterpriseType: '7' } }))
    expect(outcome.decision).toBe('allow')
    expect(outcome.reasonText).not.toContain('限运')
  })
})
