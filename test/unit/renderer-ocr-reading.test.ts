import { describe, expect, it } from 'vitest'
import type { OcrField, OcrReading } from '@shared/contract'
import { formValuesOf } from '../../src/renderer/src/features/ledgers/reading'

const field = (name: OcrField['field'], value: string, low = false, problem: string | null = null): OcrField => ({ field: name, value, read: value, confidence: low ? 0.5 : 0.99, problem, low })
const reading = (fields: OcrField[]): OcrReading => ({ document: 'licenseMain', fields, straightened: 0, jpegBase64: '', elapsedMs: 1 })

describe('a reading as the vehicle form takes it', () => {
  it('fills form values (the B7.7 code as the type list shows it), leaves fuel out, and marks the unsure fields with their reason and confidence', () => {
    const { values, toCheck } = formValuesOf(
      reading([
        field('license', '豫A12345'),
        field('vehicleType', 'Q11'),
        field('vin', '1M8GDM9A1KP042788', true, '车辆识别代号第 9 位校验位不符，请核对'),
        field('issueDate', '2019-05-02', true),
        field('fuelType', 'B')
      ])
    )
    expect(values).toEqual({ license: '豫A12345', vehicleType: 'Q11 重型半挂牵引车', vin: '1M8GDM9A1KP042788', issueDate: '2019-05-02' })
    expect(toCheck).toEqual({ vin: { problem: '车辆识别代号第 9 位校验位不符，请核对', percent: 50 }, issueDate: { problem: null, percent: 50 } })
  })

  it('a field its rule could not map keeps the form value and is only marked', () => {
    const { values, toCheck } = formValuesOf(reading([field('vehicleType', '', true, '“火箭”不在车辆类型（B7.7）中，请选择')]))
    expect(values).toEqual({})
    expect(toCheck).toEqual({ vehicleType: { problem: '“火箭”不在车辆类型（B7.7）中，请选择', percent: 50 } })
  })
})
