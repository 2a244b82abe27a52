import { setImmediate as nextTurn } from 'node:timers/promises'
import { z } from 'zod'
import { LargeText } from '../../core/http/body'

/**
 * A base64 JPEG as cameras send it: a string, or (a long one, cut out of the body before parsing) the body's raw
 * bytes. A data: prefix, line breaks and JSON escapes are accepted; the characters are checked while decoding.
 */
export const base64Jpeg = z.union([z.string(), z.instanceof(LargeText)])

export type Base64Jpeg = z.output<typeof base64Jpeg>

/** Characters decoded per turn of the event loop: a fraction of a millisecond each. */
const SLICE = 128 * 1024
const DATA_PREFIX = /^data:image\\?\/jpeg;base64,/
const BASE64 = /^[A-Za-z0-9+/]*(={0,2})$/
const SPACES = /[ \t\r\n]+/g
/** The JSON escapes base64 text can carry: \/ and line breaks (\u00XX is handled apart). */
const SHORT_ESCAPES = /\\([/nrt])/g
const UNICODE_ESCAPES = /\\u00([0-9a-fA-F]{2})/g

/**
 * The JPEG bytes of a base64 photo, or null when the text is not base64. The text is taken a slice at a time, each
 * checked and decoded with native string and regex operations, with a turn of the event loop between slices, so a
 * multi-megabyte photo never holds up the lanes.
 */
export async function decodeBase64Jpeg(value: Base64Jpeg): Promise<Buffer | null> {
  // A parsed string has its JSON escapes resolved already; raw body bytes still carry them (\/, \n, \u0041 …).
  const escaped = value instanceof LargeText
  const length = value.length
  const slice = (from: number, to: number) => (escaped ? value.latin1(from, to) : value.slice(from, to))
  const prefix = DATA_PREFIX.exec(slice(0, 32))
  let at = prefix ? prefix[0].length : 0
  const decoded: Buffer[] = []
  let carried = ''
  let padded = false
  while (at < length) {
    let end = Math.min(length, at + SLICE)
    // An escape cut by the slice's end is read whole.
    if (escaped) while (end < length && slice(Math.max(at, end - 6), end).includes('\\')) end = Math.min(length, end + 6)
    let text = slice(at, end)
    if (escaped && text.includes('\\')) {
      text = text.replace(SHORT_ESCAPES, (_, letter: string) => (letter === '/' ? '/' : ' ')).replace(UNICODE_ESCAPES, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      if (text.includes('\\')) return null
    }
    text = text.replace(SPACES, '')
    const valid = BASE64.exec(text)
    if (!valid || (padded && text.length > 0 && !/^=*$/.test(text))) return null
    if (valid[1]!.length > 0) padded = true
    text = carried + text
    const whole = text.length - (text.length % 4)
    if (whole > 0) decoded.push(Buffer.from(text.slice(0, whole), 'base64'))
    carried = text.slice(whole)
    at = end
    if (at < length) await nextTurn()
  }
  if (carried.length > 0) decoded.push(Buffer.from(carried, 'base64'))
  return Buffer.concat(decoded)
}
