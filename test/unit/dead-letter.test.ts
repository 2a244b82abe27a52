import { describe, expect, it } from 'vitest'
import { fieldsFromReason, unknownFields } from '../../src/main/core/sync'

describe('dead-letter reasons', () => {
  it('names each field of a 952 format refusal', () => {
    expect(fieldsFromReason('platform replied 952 格式校验失败: value.cpys: 不在 licenseColor 中; value.bgzt: 不在 0/1 中; file: 不是 JPEG')).toEqual([
      { field: 'cpys', message: '不在 licenseColor 中' },
      { field: 'bgzt', message: '不在 0/1 中' },
      { field: '', message: '不是 JPEG' }
    ])
  })

  it('keeps a reason without field details as one problem of the whole item', () => {
    expect(fieldsFromReason('platform replied 952 格式校验失败')).toEqual([{ field: '', message: 'platform replied 952 格式校验失败' }])
  })

  it('refuses changes to fields the recorded payload does not have', () => {
    expect(unknownFields({ cpys: '9', cphm: '豫A1' }, { cpys: '1', extra: 'x' })).toEqual([{ field: 'extra', message: '该字段不属于此条上传数据' }])
  })
})
