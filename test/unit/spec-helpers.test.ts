import { describe, expect, it } from 'vitest'
import { emissionStageLabel, formatSpecDateTime, fuelTypeLabel, isCode, makeLsh, parseLsh, parseSpecDateTime, tgztOf, zplxOf } from '@shared/spec'
import { isPlateColourCode } from '@shared/plate'

const beijing = (text: string) => new Date(`${text}+08:00`)

describe('lsh (A6.4, ERRATA E16/E17)', () => {
  it('matches the worked examples', () => {
    expect(makeLsh({ enterpriseCode: '4110020001', gateCode: '01', direction: 'in', at: beijing('2021-01-18T09:30:15') })).toBe('411002000101A210118093015')
    expect(makeLsh({ enterpriseCode: '4110020001', gateCode: '02', direction: 'out', at: beijing('2021-01-18T10:05:42') })).toBe('411002000102B210118100542')
  })

  it('uses Beijing time whatever instant it is given', () => {
    expect(makeLsh({ enterpriseCode: '4110020001', gateCode: '01', direction: 'in', at: new Date('2021-01-17T16:30:15Z') })).toBe('411002000101A210118003015')
  })

  it('names the bad part', () => {
    const at = new Date()
    expect(() => makeLsh({ enterpriseCode: '411002000', gateCode: '01', direction: 'in', at })).toThrow(/enterprise code/)
    expect(() => makeLsh({ enterpriseCode: '41100200AB', gateCode: '01', direction: 'in', at })).toThrow(/enterprise code/)
    for (const gateCode of ['1', '100', '00']) expect(() => makeLsh({ enterpriseCode: '4110020001', gateCode, direction: 'in', at })).toThrow(/gate code/)
  })

  it('parses back, and refuses malformed or impossible serials', () => {
    expect(parseLsh('411002000102B210118100542')).toEqual({ enterpriseCode: '4110020001', gateCode: '02', direction: 'out', at: beijing('2021-01-18T10:05:42') })
    expect(parseLsh('411002000102B21011810054')).toBeNull()
    expect(parseLsh('411002000102C210118100542')).toBeNull()
    expect(parseLsh('411002000102B210230100542')).toBeNull()
  })

  it('maps directions explicitly', () => {
    expect([tgztOf('in'), tgztOf('out')]).toEqual(['1', '2'])
    expect([zplxOf('in', false), zplxOf('out', false), zplxOf('in', true)]).toEqual(['1', '2', '3'])
  })
})

describe('date formats (ERRATA E25)', () => {
  it('formats and parses yyyy-MM-dd HH:mm:ss in Beijing time', () => {
    const at = new Date('2026-11-24T16:05:09Z')
    expect(formatSpecDateTime(at)).toBe('2026-11-25 00:05:09')
    expect(parseSpecDateTime(' 2026-11-25 00:05:09 ')).toEqual(at)
    expect(parseSpecDateTime('20261125000509')).toEqual(at)
    expect(parseSpecDateTime('2026-11-25')).toEqual(new Date('2026-11-24T16:00:00Z'))
  })

  it('refuses impossible and malformed dates', () => {
    for (const text of ['2021-02-30 10:00:00', '2021-01-18 24:00:00', '2021/01/18 10:00:00', '', 'yesterday']) expect(parseSpecDateTime(text)).toBeNull()
  })
})

describe('code tables and labels', () => {
  it('checks codes and shows labels without PDF spaces (ERRATA E67), unknown codes raw (E22)', () => {
    expect(isCode('emissionStage', 'D')).toBe(true)
    expect(isCode('emissionStage', '8')).toBe(false)
    expect(emissionStageLabel('0')).toBe('国0')
    expect(emissionStageLabel('4')).toBe('国Ⅳ')
    expect(fuelTypeLabel('B')).toBe('柴油')
    expect(fuelTypeLabel('BE')).toBe('BE')
  })

  it('knows the B7.1 plate colours', () => {
    for (const code of ['0', '1', '2', '3', '4', '5']) expect(isPlateColourCode(code)).toBe(true)
    for (const code of ['6', '', '01', 'A']) expect(isPlateColourCode(code)).toBe(false)
  })
})
