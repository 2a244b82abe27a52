import { describe, expect, it } from 'vitest'
import { DEFAULT_WIRE, gateSignalOf, type WireOptions } from '../../src/main/core/platform'
import { requestBody } from '../../src/main/core/platform/wire'

const envelope = { organ: '4110020001', token: 'TOKEN' }
const wire = (options: Partial<WireOptions> = {}): WireOptions => ({ ...DEFAULT_WIRE, ...options })

describe('wire bodies per city reading', () => {
  it('wraps every record in the 4.1 envelope by default, 4.1.7/4.1.8 with value.accessToken (ERRATA E01)', () => {
    expect(requestBody('shareDrivingRecord', { lsh: 'x' }, envelope, wire())).toEqual({ organ: '4110020001', ipctype: 'shareDrivingRecord', access_token: 'TOKEN', value: { lsh: 'x' } })
    expect(requestBody('shareInnerVehInfo', { license: '豫A1' }, envelope, wire())).toEqual({
      organ: '4110020001',
      ipctype: 'shareInnerVehInfo',
      access_token: 'TOKEN',
      value: { license: '豫A1', accessToken: 'TOKEN' }
    })
    expect(requestBody('shareVehInfo', { license: '豫A1' }, envelope, wire())).toMatchObject({ value: { license: '豫A1' } })
  })

  it('sends 4.1.2/4.1.7/4.1.8 flat as printed when the city wants it, and only those', () => {
    const flat = wire({ vehicleBodies: 'flat' })
    expect(requestBody('shareVehInfo', { license: '豫A1' }, envelope, flat)).toEqual({ license: '豫A1' })
    expect(requestBody('shareInnerMHYElec', { mhyPlate: 'M1' }, envelope, flat)).toEqual({ mhyPlate: 'M1', accessToken: 'TOKEN' })
    expect(requestBody('shareGoodsRecord', { hwmc: '煤' }, envelope, flat)).toMatchObject({ ipctype: 'shareGoodsRecord', value: { hwmc: '煤' } })
  })

  it('maps bgzt to gateSignal with the inverted codes when the city wants gateSignal (ERRATA E18)', () => {
    expect(gateSignalOf('1')).toBe('0')
    expect(gateSignalOf('0')).toBe('1')
    const body = requestBody('shareDrivingRecord', { lsh: 'x', bgzt: '1' }, envelope, wire({ passField: 'gateSignal' })) as { value: object }
    expect(body.value).toEqual({ lsh: 'x', gateSignal: '0' })
    expect(requestBody('shareGoodsRecord', { bgzt: '1' }, envelope, wire({ passField: 'gateSignal' }))).toMatchObject({ value: { bgzt: '1' } })
  })
})
