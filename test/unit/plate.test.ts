import { describe, expect, it } from 'vitest'
import { normalizePlate, plateProblem } from '@shared/plate'

describe('plate normalisation (ERRATA E20)', () => {
  it('upper-cases, converts full-width characters and drops separators', () => {
    expect(normalizePlate(' 豫a·12345 ')).toBe('豫A12345')
    expect(normalizePlate('豫Ａ１２３４５')).toBe('豫A12345')
    expect(normalizePlate('豫A-123 45')).toBe('豫A12345')
  })

  it('accepts ordinary, new-energy and trailer plates', () => {
    expect(plateProblem('豫A12345')).toBeNull()
    expect(plateProblem('豫AD12345')).toBeNull()
    expect(plateProblem('豫A1234挂')).toBeNull()
  })

  it('names the problem of an empty, overlong or malformed plate', () => {
    expect(plateProblem('')).toBe('车牌号不能为空')
    expect(plateProblem('豫A' + '1'.repeat(28))).toMatch(/过长/)
    expect(plateProblem('AA12345')).toMatch(/格式不正确/)
    expect(plateProblem('豫I12345')).toMatch(/格式不正确/)
  })
})
