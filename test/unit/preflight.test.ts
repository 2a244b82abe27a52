import { describe, expect, it } from 'vitest'
import { FIELD_RULES, preflightProblems } from '../../src/main/core/platform'
import { driving, goods, innerVehicle as inner, licenceImage as image, machine, photo, vehicle } from '../integration/platform-fixtures'
import { tinyJpeg } from '../integration/support'

const fields = (ipctype: string, value: Record<string, string>) => preflightProblems(ipctype, value).map((problem) => problem.field)

describe('preflightProblems', () => {
  it('passes a valid record of every interface', () => {
    expect(preflightProblems('getCheckVehicle', { license: '豫A12345', licenseColor: '1' })).toEqual([])
    expect(preflightProblems('shareDrivingRecord', driving)).toEqual([])
    expect(preflightProblems('sharePhotoInfo', photo)).toEqual([])
    expect(preflightProblems('shareGoodsRecord', goods)).toEqual([])
    expect(preflightProblems('shareVehInfo', vehicle)).toEqual([])
    expect(preflightProblems('shareInnerVehInfo', inner)).toEqual([])
    expect(preflightProblems('shareInnerMHYElec', machine)).toEqual([])
  })

  it('names a missing field, an empty key field and an unknown field, in Chinese', () => {
    const { bgzt: _omitted, ...missing } = driving
    expect(preflightProblems('shareDrivingRecord', missing)).toEqual([{ field: 'bgzt', message: '缺少字段 bgzt（摆杆状态）' }])
    expect(preflightProblems('shareDrivingRecord', { ...driving, cphm: '' })).toEqual([{ field: 'cphm', message: 'cphm（号牌号码）不能为空' }])
    expect(preflightProblems('shareDrivingRecord', { ...driving, qymc: '' })).toEqual([])
    expect(fields('shareDrivingRecord', { ...driving, gateSignal: '0' })).toEqual(['gateSignal'])
    expect(fields('noSuchInterface', driving)).toEqual(['ipctype'])
  })

  it('counts maximum lengths in characters, not bytes (ERRATA E08)', () => {
    expect(preflightProblems('shareDrivingRecord', { ...driving, qymc: '钢'.repeat(150) })).toEqual([])
    const [problem] = preflightProblems('shareDrivingRecord', { ...driving, qymc: '钢'.repeat(151) })
    expect(problem).toEqual({ field: 'qymc', message: 'qymc（企业名称）超过最大长度 150 个字符（现有 151 个）' })
    expect(fields('getCheckVehicle', { license: '豫A'.padEnd(21, '1'), licenseColor: '1' })).toEqual(['license'])
  })

  it('checks B7.x codes and inline code lists', () => {
    expect(preflightProblems('shareDrivingRecord', { ...driving, cpys: '9' })[0]!.message).toBe('cpys（号牌颜色）的值 “9” 不在代码表 B7.1 车牌颜色 中')
    expect(fields('shareDrivingRecord', { ...driving, bgzt: '2' })).toEqual(['bgzt'])
    expect(fields('sharePhotoInfo', { ...photo, zpbh: '3' })).toEqual(['zpbh'])
    expect(fields('shareVehInfo', { ...vehicle, vehicleType: 'H36' })).toEqual(['vehicleType'])
    expect(fields('shareInnerVehInfo', { ...inner, carStatus: '4' })).toEqual(['carStatus'])
  })

  it('reads vehicleType as the full 3-character B7.7 code (ERRATA E21), not the printed length 2', () => {
    expect(FIELD_RULES.shareVehInfo.find((rule) => rule.name === 'vehicleType')!.max).toBe(3)
  })

  it('checks the lsh form (A6.4) and its agreement with qybh, dzbh, tgzt and zplx (ERRATA E17)', () => {
    expect(fields('shareDrivingRecord', { ...driving, lsh: driving.lsh.slice(0, 24) })).toEqual(['lsh'])
    expect(fields('shareDrivingRecord', { ...driving, lsh: '411002000101A261324093015' })).toEqual(['lsh'])
    expect(preflightProblems('shareDrivingRecord', { ...driving, lsh: '411002000201A261124093015' })[0]!.message).toContain('与 qybh 4110020001 不一致')
    expect(preflightProblems('shareDrivingRecord', { ...driving, dzbh: '02' })[0]!.message).toContain('与 dzbh 02 不一致')
    expect(preflightProblems('shareDrivingRecord', { ...driving, tgzt: '2' })[0]!.message).toContain('与 tgzt 2 不一致')
    expect(fields('sharePhotoInfo', { ...photo, zplx: '2' })).toEqual(['lsh'])
    expect(preflightProblems('sharePhotoInfo', { ...photo, zplx: '3' })).toEqual([])
  })

  it('checks date-time and date formats (ERRATA E25)', () => {
    expect(fields('shareDrivingRecord', { ...driving, tgsjq: '2026-02-30 09:30:15' })).toEqual(['tgsjq'])
    expect(fields('shareDrivingRecord', { ...driving, tgsjz: '2026/11/24 09:30:15' })).toEqual(['tgsjz'])
    expect(preflightProblems('shareVehInfo', { ...vehicle, registerDate: '20190501' })[0]!.message).toBe('registerDate（注册日期）日期格式应为 yyyy-MM-dd（现为 “20190501”）')
  })

  it('checks enterprise and gate codes (ERRATA E14/E15) and tonnage (E33)', () => {
    expect(fields('shareGoodsRecord', { ...goods, qybh: '411002000', lsh: goods.lsh })).toContain('qybh')
    expect(fields('shareInnerVehInfo', { ...inner, companyCode: 'ABC' })).toEqual(['companyCode'])
    expect(fields('shareGoodsRecord', { ...goods, ysl: '约35' })).toEqual(['ysl'])
    expect(fields('shareGoodsRecord', { ...goods, ysl: '35.55' })).toEqual(['ysl'])
  })

  it('checks inline photos: a JPEG in plain base64, not both licence images empty', () => {
    expect(fields('shareVehInfo', { ...vehicle, drivingLicenseImg: `data:image/jpeg;base64,${image}` })).toEqual(['drivingLicenseImg'])
    expect(fields('shareVehInfo', { ...vehicle, drivingLicenseImg: Buffer.from('GIF89a').toString('base64') })).toEqual(['drivingLicenseImg'])
    // Too big is not a pre-flight problem: putData re-encodes it (ERRATA E29).
    expect(preflightProblems('shareInnerMHYElec', { ...machine, imageInfo: tinyJpeg(700_001).toString('base64') })).toEqual([])
    expect(preflightProblems('shareVehInfo', { ...vehicle, drivingLicenseImg: '' })[0]).toEqual({
      field: 'drivingLicenseImg',
      message: 'drivingLicenseImg（行驶证图片）与 drivingLicenseImg2（随车清单图片）不能同时为空'
    })
    expect(fields('shareInnerMHYElec', { ...machine, imageInfo: '' })).toEqual(['imageInfo'])
  })

  it('leaves the fields the client fills itself to the client (base64Image, accessToken; ERRATA E01/E28)', () => {
    expect(preflightProblems('sharePhotoInfo', photo)).toEqual([])
    expect(preflightProblems('shareInnerMHYElec', { ...machine, accessToken: 'TOKEN' })).toEqual([])
  })
})
