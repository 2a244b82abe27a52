import { describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy'

const verdict = (isControl: string, controlReason = '') => ({ isControl, controlReason, emissionStandard: '4', fuelType: 'B' })

describe('decide (ERRATA E32)', () => {
  it('allows isControl 0 and refuses isControl 1 with the platform reason', () => {
    expect(decide(verdict('0'), 'platform')).toMatchObject({ decision: 'allow', reasonCode: 'platform_allow' })
    const refused = decide(verdict('1', '橙色预警禁止国四柴油车'), 'platform')
    expect(refused).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control' })
    expect(refused.reasonText).toContain('橙色预警禁止国四柴油车')
  })

  it('hands any other isControl value to the guard', () => {
    expect(decide(verdict('2'), 'platform')).toMatchObject({ decision: 'guard', reasonCode: 'platform_undecided' })
  })

  it('marks cached verdicts as offline in code and text', () => {
    const allowed = decide(verdict('0'), 'cache')
    expect(allowed.reasonCode).toBe('cache_allow')
    expect(allowed.reasonText).toContain('离线')
    expect(decide(verdict('1'), 'cache').reasonCode).toBe('cache_control')
  })

  it('never allows a vehicle nothing is known about', () => {
    expect(decide(null, 'none')).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict' })
  })
})
