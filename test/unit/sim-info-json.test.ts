import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseInfoJson } from '../../src/sim/platform/info-json'

const utf8 = (text: string) => Buffer.from(text, 'utf8')

/** The simulator's fast parse of a put_file info part must give exactly what JSON.parse of its UTF-8 text gives. */
describe('simulator info part parse', () => {
  const photo = randomBytes(200_001).toString('base64')
  const envelope = (base64Image: unknown) => ({ organ: '4110020001', ipctype: 'sharePhotoInfo', access_token: 'T', value: { lsh: '4110020001', qymc: '许昌示范钢铁有限公司', cphm: '豫A12345', base64Image } })

  it('gives the photo-sized base64 back as sent, beside Chinese fields', () => {
    const text = JSON.stringify(envelope(photo))
    expect(parseInfoJson(utf8(text))).toEqual(JSON.parse(text))
  })

  it('leaves what is not canonical base64 to the plain parse: url-safe, whitespace, escapes, controls, non-ASCII, duplicates', () => {
    const odd = [
      `${photo.slice(0, 100)}-_${photo.slice(102)}`,
      `${photo.slice(0, 100)}\\n${photo.slice(100)}`,
      `${photo.slice(0, 100)}\\u0041${photo.slice(100)}`,
      `${photo.slice(0, 100)}中${photo.slice(100)}`,
      'QQ',
      ''
    ]
    for (const image of odd) {
      const text = `{"value":{"qymc":"许昌","base64Image":"${image}"}}`
      expect(parseInfoJson(utf8(text))).toEqual(JSON.parse(text))
    }
    const duplicate = `{"value":{"base64Image":"${photo}","qymc":"许昌","base64Image":"QUJD"}}`
    expect(parseInfoJson(utf8(duplicate))).toEqual(JSON.parse(duplicate))
    const nested = `{"value":{"base64Image":"QUJD"},"base64Image":"${photo}","x":"许"}`
    expect(parseInfoJson(utf8(nested))).toEqual(JSON.parse(nested))
  })

  it('throws where JSON.parse throws', () => {
    for (const text of [`{"value":{"base64Image":"${photo}"}`, `{"value":{"base64Image":"${photo}\u0001"}}`, '{"base64Image":"QUJD"', 'not json']) {
      expect(() => JSON.parse(text)).toThrow()
      expect(() => parseInfoJson(utf8(text))).toThrow()
    }
  })

  it('agrees with JSON.parse on arbitrary documents around the key', () => {
    const piece = fc.constantFrom('"base64Image":"', 'QUJD', '"', '\\', '{', '}', ',', ':', '"a"', '许', '\u0001', '=', ' ', '[', ']')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('')
        let expected: unknown
        try {
          expected = { ok: JSON.parse(text) }
        } catch {
          expected = 'throws'
        }
        let actual: unknown
        try {
          actual = { ok: parseInfoJson(utf8(text)) }
        } catch {
          actual = 'throws'
        }
        expect(actual).toEqual(expected)
      }),
      { numRuns: 5000 }
    )
  })
})
