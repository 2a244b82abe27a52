import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from '../../src/main/core/sync'

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const top = () => 0.999999
    expect(backoffDelayMs(0, { baseMs: 1000, capMs: 60_000, random: top })).toBe(999)
    expect(backoffDelayMs(3, { baseMs: 1000, capMs: 60_000, random: top })).toBe(7999)
    expect(backoffDelayMs(20, { baseMs: 1000, capMs: 60_000, random: top })).toBe(59_999)
    expect(backoffDelayMs(5000, { baseMs: 1000, capMs: 60_000, random: top })).toBe(59_999)
  })

  it('uses the full range below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, { baseMs: 1000, capMs: 60_000, random: () => 0 })).toBe(0)
    expect(backoffDelayMs(3, { baseMs: 1000, capMs: 60_000, random: () => 0.5 })).toBe(4000)
  })
})
