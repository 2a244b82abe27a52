import { describe, expect, it } from 'vitest'
import { plateCorrectionInputSchema, plateEntryInputSchema } from '@shared/contract'
import { normalizePlate, plateColourProblem, plateProblem } from '@shared/plate'

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

describe('plate colour against length (B7.1)', () => {
  it('wants 7 characters on blue, yellow, white and black plates and 8 on new-energy ones', () => {
    expect(plateColourProblem('豫A12345', '1')).toBeNull()
    expect(plateColourProblem('豫A1234挂', '1')).toBeNull()
    expect(plateColourProblem('豫AD12345', '4')).toBeNull()
    expect(plateColourProblem('豫A1234', '1')).toBe('该颜色车牌应为 7 位（豫A1234 为 6 位）')
    expect(plateColourProblem('豫AD12345', '0')).toMatch(/8 位车牌请选新能源/)
    expect(plateColourProblem('豫A12345', '4')).toBe('新能源车牌应为 8 位（豫A12345 为 7 位）')
  })

  it('refuses 豫A1234 in a manual entry and a correction, beside the plate field', () => {
    const entry = plateEntryInputSchema.safeParse({ laneId: 'in1', plate: '豫A1234', colour: '1' })
    expect(entry.success).toBe(false)
    expect(entry.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['plate', '该颜色车牌应为 7 位（豫A1234 为 6 位）']])
    expect(plateCorrectionInputSchema.safeParse({ passageId: 1, plate: '豫A1234', colour: '2' }).success).toBe(false)
    expect(plateEntryInputSchema.safeParse({ laneId: 'in1', plate: '豫a 12345', colour: '1' }).success).toBe(true)
  })
})
