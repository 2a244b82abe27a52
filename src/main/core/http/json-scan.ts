import { randomBytes } from 'node:crypto'

/** What a JSON request body may hold; checked while it streams in, before anything is parsed. */
export interface JsonLimits {
  maxBytes: number
  /** Deepest nesting of arrays and objects. */
  maxDepth: number
  /** Most array elements plus object members in the whole document (what JSON.parse's time grows with). */
  maxItems: number
  /**
   * Strings at least this many bytes long (a base64 photo) are not handed to JSON.parse: they come back as LargeText
   * over the body's bytes, for the caller to decode in slices. Unset: every string is parsed as usual.
   */
  largeStringBytes?: number
  /** The most bytes JSON.parse may be given: the body less its long strings. Default: maxBytes. */
  maxParsedBytes?: number
}

/**
 * A long JSON string kept as the raw bytes between its quotes (escapes not yet resolved), as the pieces of the
 * received chunks it spans: never copied into one buffer (copying megabytes into fresh memory alone takes tens of ms).
 */
export class LargeText {
  readonly length: number
  private readonly bytes: ChunkedBytes

  constructor(parts: readonly Buffer[]) {
    this.bytes = new ChunkedBytes(parts)
    this.length = this.bytes.length
  }

  /** Bytes [from, to) as a latin1 string (base64 text is ASCII). */
  latin1(from: number, to: number): string {
    return this.bytes
      .pieces(from, to)
      .map((piece) => piece.toString('latin1'))
      .join('')
  }
}

/** Why a body was refused: a limit, in Chinese for whoever set up the sender. */
export class JsonShapeError extends Error {
  override name = 'JsonShapeError'
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Follows a JSON text chunk by chunk at byte level (UTF-8 continuation bytes never equal `"` or `\`): nesting depth,
 * item count and where long strings lie. It does not check the grammar, JSON.parse does that afterwards on a body
 * known to be shallow and small enough to parse within a few milliseconds.
 */
export class JsonShapeScanner {
  private offset = 0
  private depth = 0
  private items = 0
  private inString = false
  private escaped = false
  private stringStart = 0
  /** [start, end) of each long string's content, as offsets into the whole body. */
  readonly largeStrings: [number, number][] = []

  constructor(private readonly limits: JsonLimits) {}

  /** Throws JsonShapeError as soon as a limit is passed. */
  feed(chunk: Uint8Array): void {
    let i = 0
    const length = chunk.length
    // Next quote and backslash at or after i (-1: none left in the chunk), looked up again only once passed: a
    // string with an escape every line must not rescan the chunk for its closing quote at each one.
    let quote = -2
    let backslash = -2
    while (i < length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false
          i++
          continue
        }
        if (quote !== -1 && quote < i) quote = chunk.indexOf(QUOTE, i)
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf(BACKSLASH, i)
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          this.escaped = true
          i = backslash + 1
          continue
        }
        if (quote === -1) break
        this.inString = false
        this.closeString(this.offset + quote)
        i = quote + 1
        continue
      }
      const byte = chunk[i]!
      if (byte === QUOTE) {
        this.inString = true
        this.stringStart = this.offset + i + 1
      } else if (byte === 0x7b || byte === 0x5b) {
        if (++this.depth > this.limits.maxDepth) throw new JsonShapeError(`JSON 嵌套超过 ${this.limits.maxDepth} 层，已拒收`)
        this.countItem()
      } else if (byte === 0x7d || byte === 0x5d) {
        this.depth--
      } else if (byte === 0x2c) {
        this.countItem()
      }
      i++
    }
    this.offset += length
  }

  private countItem(): void {
    if (++this.items > this.limits.maxItems) throw new JsonShapeError(`JSON 条目超过 ${this.limits.maxItems} 个，已拒收`)
  }

  private closeString(end: number): void {
    const threshold = this.limits.largeStringBytes
    if (threshold !== undefined && end - this.stringStart >= threshold) this.largeStrings.push([this.stringStart, end])
  }
}

/**
 * Parses a body the scanner has followed, given as the chunks it arrived in. Long strings are cut out first and
 * replaced by placeholders naming them (with a nonce no sender can guess), so JSON.parse only ever sees the small
 * rest; they come back as LargeText over their chunks.
 */
export function parseScannedJson(chunks: readonly Buffer[], largeStrings: readonly [number, number][], maxParsedBytes = Infinity): unknown {
  const marker = `\u0000${randomBytes(8).toString('hex')}:`
  const body = new ChunkedBytes(chunks)
  const pieces: Buffer[] = []
  let from = 0
  for (const [index, [start, end]] of largeStrings.entries()) {
    pieces.push(...body.pieces(from, start), Buffer.from(JSON.stringify(`${marker}${index}`).slice(1, -1)))
    from = end
  }
  pieces.push(...body.pieces(from, body.length))
  const parsedBytes = pieces.reduce((sum, piece) => sum + piece.length, 0)
  if (parsedBytes > maxParsedBytes) throw new JsonShapeError(`除照片等长字段外，JSON 内容超过 ${maxParsedBytes} 字节，已拒收`)
  const text = Buffer.concat(pieces, parsedBytes).toString('utf8')
  if (largeStrings.length === 0) return JSON.parse(text)
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(marker)) return value
    const [start, end] = largeStrings[Number(value.slice(marker.length))]!
    return new LargeText(body.pieces(start, end))
  })
}

/** The chunks of a body addressed as one run of bytes, without joining them. */
class ChunkedBytes {
  readonly length: number
  private readonly starts: number[] = []

  constructor(private readonly chunks: readonly Buffer[]) {
    let length = 0
    for (const chunk of chunks) {
      this.starts.push(length)
      length += chunk.length
    }
    this.length = length
  }

  /** Views (no copies) of the chunks covering [from, to). */
  pieces(from: number, to: number): Buffer[] {
    const pieces: Buffer[] = []
    for (const [index, chunk] of this.chunks.entries()) {
      const start = this.starts[index]!
      if (start >= to) break
      if (start + chunk.length <= from) continue
      pieces.push(chunk.subarray(Math.max(0, from - start), Math.min(chunk.length, to - start)))
    }
    return pieces
  }
}
