import { setImmediate as nextTurn } from 'node:timers/promises'
import { z } from 'zod'
import { LargeText } from '../../core/http/body'

/**
 * A base64 JPEG as cameras send it: a string, or (a long one, cut out of the body before parsing) the body's raw
 * bytes. A data: prefix, line breaks and JSON escapes are accepted; the characters are checked while decoding.
 */
export const base64Jpeg = z.union([z.string(), z.instanceof(LargeText)])

export type Base64Jpeg = z.output<typeof base64Jpeg>

/** Bytes decoded per turn of the event loop: well under a millisecond each. */
const SLICE_BYTES = 128 * 1024
const DATA_PREFIX = 'data:image/jpeg;base64,'
const ESCAPED_DATA_PREFIX = 'data:image\\/jpeg;base64,'

const CHAR = 1
const SPACE = 2
const PAD = 3
const ESCAPE = 4
const KIND = new Uint8Array(256)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') KIND[c.charCodeAt(0)] = CHAR
for (const c of ' \t\r\n') KIND[c.charCodeAt(0)] = SPACE
KIND['='.charCodeAt(0)] = PAD
const ESCAPING = Uint8Array.from(KIND)
ESCAPING['\\'.charCodeAt(0)] = ESCAPE

/**
 * The JPEG bytes of a base64 photo, or null when the text is not base64. Long text is decoded a slice at a time
 * with a turn of the event loop between slices, so a multi-megabyte photo never holds up the lanes.
 */
export async function decodeBase64Jpeg(value: Base64Jpeg): Promise<Buffer | null> {
  // A parsed string has its JSON escapes resolved already; raw body bytes still carry them (\/, \n, \u0041 …).
  const escaped = value instanceof LargeText
  const bytes = escaped ? value.raw : Buffer.from(value, 'utf8')
  const kinds = escaped ? ESCAPING : KIND
  let i = startsWith(bytes, DATA_PREFIX) ? DATA_PREFIX.length : escaped && startsWith(bytes, ESCAPED_DATA_PREFIX) ? ESCAPED_DATA_PREFIX.length : 0
  const clean = Buffer.allocUnsafe(SLICE_BYTES + 16)
  const decoded: Buffer[] = []
  let carried = 0
  let padding = 0
  while (i < bytes.length) {
    const end = Math.min(bytes.length, i + SLICE_BYTES)
    let used = carried
    for (; i < end; i++) {
      let code = bytes[i]!
      let kind = kinds[code]!
      if (kind === ESCAPE) {
        const unescaped = unescapeAt(bytes, i)
        if (unescaped === null) return null
        code = unescaped.code
        kind = KIND[code]!
        i = unescaped.last
      }
      if (kind === SPACE) continue
      if (kind === PAD) {
        if (++padding > 2) return null
      } else if (kind !== CHAR || padding > 0) return null
      clean[used++] = code
    }
    const whole = used - (used % 4)
    if (whole > 0) decoded.push(Buffer.from(clean.toString('latin1', 0, whole), 'base64'))
    carried = used - whole
    clean.copy(clean, 0, whole, used)
    if (i < bytes.length) await nextTurn()
  }
  if (carried > 0) decoded.push(Buffer.from(clean.toString('latin1', 0, carried), 'base64'))
  return Buffer.concat(decoded)
}

/** The character a JSON escape at `at` stands for (only \/, \n, \r, \t and \u00XX can occur in base64 text). */
function unescapeAt(bytes: Buffer, at: number): { code: number; last: number } | null {
  const letter = bytes[at + 1]
  if (letter === 0x2f) return { code: 0x2f, last: at + 1 }
  if (letter === 0x6e || letter === 0x72 || letter === 0x74) return { code: 0x20, last: at + 1 }
  if (letter !== 0x75) return null
  const hex = bytes.toString('latin1', at + 2, at + 6)
  if (!/^00[0-9a-fA-F]{2}$/.test(hex)) return null
  return { code: parseInt(hex, 16), last: at + 5 }
}

function startsWith(bytes: Buffer, prefix: string): boolean {
  return bytes.length >= prefix.length && bytes.toString('latin1', 0, prefix.length) === prefix
}
