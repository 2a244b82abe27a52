import { isAscii } from 'node:buffer'
import { decodeBase64 } from './validate'

const IMAGE_KEY = Buffer.from('"base64Image":"')
/** Stands in for the photo's base64 while the rest is parsed: "\u0000" cannot come from a sender's text unescaped. */
const PLACEHOLDER = `\u0000base64Image-${process.pid}-${Date.now()}`
const PLACEHOLDER_JSON = Buffer.from(JSON.stringify(PLACEHOLDER).slice(1, -1))

/**
 * JSON.parse of a put_file `info` part, exactly: the ~270,000 characters of its base64Image are taken out of the
 * bytes before the UTF-8 decoding and the parse and put back as the same string afterwards. Decoding the whole part
 * made a two-byte string of it (its Chinese fields are not Latin-1), and that decoding, the parse and the base64 check
 * over it were most of the simulator's time per photo. Only a canonical base64 text (what a decode and a re-encode
 * give back) is taken out — it holds no quote, backslash or control character, so as a JSON string it is its own
 * bytes; anything else, a duplicate key, or no such key, goes through the plain parse.
 */
export function parseInfoJson(bytes: Buffer): unknown {
  const at = bytes.indexOf(IMAGE_KEY)
  const start = at + IMAGE_KEY.length
  const end = at < 0 ? -1 : bytes.indexOf(0x22, start)
  if (end < 0) return JSON.parse(bytes.toString('utf8'))
  const image = bytes.subarray(start, end)
  if (!isAscii(image)) return JSON.parse(bytes.toString('utf8'))
  const text = image.toString('latin1')
  if (!decodeBase64(text).canonical) return JSON.parse(bytes.toString('utf8'))
  const rest = Buffer.concat([bytes.subarray(0, start), PLACEHOLDER_JSON, bytes.subarray(end)]).toString('utf8')
  const parsed: unknown = JSON.parse(rest)
  // A later duplicate key would have replaced the value: then the placeholder is gone and the plain parse decides.
  return replacePlaceholder(parsed, text) ? parsed : JSON.parse(bytes.toString('utf8'))
}

/** Puts `text` where the placeholder is; false when it is nowhere (or more than once). */
function replacePlaceholder(node: unknown, text: string): boolean {
  let found = 0
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return
    for (const [key, child] of Object.entries(value)) {
      if (child === PLACEHOLDER) {
        ;(value as Record<string, unknown>)[key] = text
        found++
      } else walk(child)
    }
  }
  walk(node)
  return found === 1
}
