import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isBase64 } from '../../src/sim/platform/validate'

/** The pattern the simulator used to check base64 fields with: isBase64 must accept exactly what it accepts. */
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/

describe('simulator base64 check', () => {
  it('accepts exactly what the pattern accepts', () => {
    const char = fc.constantFrom(...'AZaz09+/=', ' ', '-', '_', '\n', '中', 'é', '\u0000')
    fc.assert(fc.property(fc.array(char, { maxLength: 12 }).map((chars) => chars.join('')), (text) => isBase64(text) === BASE64_PATTERN.test(text)), { numRuns: 5000 })
  })

  it('accepts a photo-sized base64 text and refuses it with one character out of the alphabet', () => {
    const text = randomBytes(200_001).toString('base64')
    expect(isBase64(text)).toBe(true)
    expect(isBase64(`${text.slice(0, 1000)}-${text.slice(1001)}`)).toBe(false)
    expect(isBase64(`${text}===`)).toBe(false)
  })
})
