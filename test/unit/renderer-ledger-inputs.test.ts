import { randomBytes } from 'node:crypto'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { dictionaries } from '@shared/spec'
import { base64Of, imageTypeOf, lengthLimit, vehicleTypeCode, vehicleTypeText } from '../../src/renderer/src/features/ledgers/inputs'

describe('the B7.7 vehicle-type search field', () => {
  it('reads every entry back from the text its list offers', () => {
    for (const { code } of dictionaries.vehicleType.entries) expect(vehicleTypeCode(vehicleTypeText(code))).toBe(code)
  })

  it('takes a typed code in any case or an exact name; an empty field is no type, anything else none of the table', () => {
    expect(vehicleTypeCode(' h11 ')).toBe('H11')
    expect(vehicleTypeText('B11')).toBe('B11 重型普通半挂车')
    expect(vehicleTypeCode('重型普通半挂车')).toBe('B11')
    expect(vehicleTypeCode('')).toBe('')
    expect(vehicleTypeCode('半挂')).toBeNull()
    expect(vehicleTypeCode('B99')).toBeNull()
  })
})

describe('picked files', () => {
  it('are base64 without a data: prefix, also past the slices btoa is fed in', async () => {
    const bytes = randomBytes(100_000)
    expect(await base64Of(new Blob([bytes]))).toBe(bytes.toString('base64'))
  })

  it('are JPEG or PNG by their bytes, whatever their name or declared type', async () => {
    const picture = sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
    expect(await imageTypeOf(new Blob([await picture.clone().jpeg().toBuffer()]))).toBe('image/jpeg')
    expect(await imageTypeOf(new Blob([await picture.clone().png().toBuffer()]))).toBe('image/png')
    expect(await imageTypeOf(new Blob([await picture.clone().webp().toBuffer()], { type: 'image/jpeg' }))).toBeNull()
    expect(await imageTypeOf(new Blob(['这不是图片'], { type: 'image/png' }))).toBeNull()
    expect(await imageTypeOf(new Blob([]))).toBeNull()
  })
})

describe('form field limits', () => {
  it('are the contract\'s own bounds, and none where the contract sets none', () => {
    expect([lengthLimit('vehicles.save', 'vin'), lengthLimit('vehicles.save', 'address'), lengthLimit('machines.save', 'mhyPlate')]).toEqual([64, 600, 32])
    expect([lengthLimit('goods.record', 'hwmc'), lengthLimit('goods.record', 'ysl')]).toEqual([64, 16])
    expect([lengthLimit('goods.record', 'weighed'), lengthLimit('vehicles.save', 'nothing')]).toEqual([undefined, undefined])
  })
})
