import { describe, expect, it } from 'vitest'
import { auditable } from '../../src/main/core/api/router'
import { goodsRecordValue, innerVehicleValue, machineValue, preflightProblems, vehicleRegistrationValue, yslOf } from '../../src/main/core/platform'
import { prefixRange } from '../../src/main/booth/store'
import { goods, innerVehicle, licenceImage, machine, vehicle } from '../integration/platform-fixtures'

const enterprise = { code: '4110020001', name: '许昌示范钢铁有限公司', companySecretCode: 'SECRET' }

describe('ysl (ERRATA E33)', () => {
  it('keeps as many decimals as fit in 4 characters, rounding', () => {
    expect([35, 35.5, 35.46, 3.14159, 0.004, 123.45, 999.999, 1234.5].map(yslOf)).toEqual(['35', '35.5', '35.5', '3.14', '0', '123', '1000', '1235'])
  })

  it('has no value for 10,000 t or more, or for a negative reading', () => {
    expect([9999.6, 10_000, -1, Number.NaN].map(yslOf)).toEqual([null, null, null, null])
  })
})

describe('plate prefix ranges', () => {
  it('covers exactly the texts that start with the prefix, CJK included', () => {
    const { lo, hi } = prefixRange('豫A1')
    const inRange = (text: string) => text >= lo && text < hi
    expect(['豫A1', '豫A10000', '豫A19999', '豫A1挂'].every(inRange)).toBe(true)
    expect(['豫A0999', '豫A2', '豫B1', '豫', '晋A1'].some(inRange)).toBe(false)
    expect(prefixRange('豫')).toEqual({ lo: '豫', hi: String.fromCodePoint('豫'.codePointAt(0)! + 1) })
  })
})

describe('ledger record builders', () => {
  it('build the spec values field for field, which pass pre-flight', () => {
    const { companySecretCode: _c, drivingLicenseImg, drivingLicenseImg2, ...vehicleFields } = vehicle
    const images = { drivingLicenseImg, drivingLicenseImg2 }
    expect(vehicleRegistrationValue(enterprise, vehicleFields, images)).toEqual(vehicle)
    expect(innerVehicleValue(enterprise, { ...vehicleFields, carStatus: '1' }, images)).toEqual(innerVehicle)
    const { companySecretCode: _m, companyCode: _cc, imageInfo, ...machineFields } = machine
    expect(machineValue({ ...enterprise, companySecretCode: '' }, machineFields, imageInfo)).toEqual(machine)
    const value = goodsRecordValue(enterprise, { lsh: goods.lsh, gateCode: '01', plate: '豫A12345', plateColour: '1', hwmc: '铁矿石', ysl: '35.5', djsj: goods.djsj })
    expect(value).toEqual(goods)
    expect(preflightProblems('shareGoodsRecord', value)).toEqual([])
  })
})

describe('audit detail', () => {
  it('keeps short values and replaces long texts (images, workbooks) by their length and hash', () => {
    const detail = auditable({ id: 3, license: '豫A12345', drivingLicenseImg: licenceImage, names: ['煤'] }) as Record<string, unknown>
    expect(detail).toMatchObject({ id: 3, license: '豫A12345', names: ['煤'], drivingLicenseImg: { omitted: 'text', length: licenceImage.length } })
    expect((detail.drivingLicenseImg as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/)
  })
})
