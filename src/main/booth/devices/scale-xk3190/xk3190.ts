/**
 * The continuous output of the Yaohua XK3190-A9 weight indicator (and the many indicators that copy it), "tF"
 * continuous mode: 12 bytes per reading, sent over and over.
 *
 *   STX '+'|'-' d d d d d d  p  X X  ETX
 *   02  sign    6 ASCII digits, no point   decimal places (ASCII '0'–'4')   XOR of bytes 1–8 as 2 hex ASCII   03
 *
 * e.g. 1560 kg: 02 2B 30 30 31 35 36 30 30 31 39 03. The frame has no stability flag: `StabilityDetector` decides.
 */
import type { WeightReading } from '../types'

const STX = 0x02
const ETX = 0x03
export const FRAME_LENGTH = 12

function xorOf(bytes: Uint8Array, start: number, end: number): number {
  let x = 0
  for (let i = start; i < end; i++) x ^= bytes[i]!
  return x
}

/** `kg` with `decimals` places (0–4), as the indicator prints it. */
export function encodeWeightFrame(kg: number, decimals = 0): Buffer {
  const scaled = Math.round(Math.abs(kg) * 10 ** decimals)
  if (scaled > 999_999) throw new RangeError(`weight ${kg} does not fit six digits with ${decimals} decimals`)
  const body = Buffer.from(`${kg < 0 ? '-' : '+'}${String(scaled).padStart(6, '0')}${decimals}`, 'ascii')
  const check = xorOf(body, 0, body.length).toString(16).toUpperCase().padStart(2, '0')
  return Buffer.concat([Buffer.from([STX]), body, Buffer.from(check, 'ascii'), Buffer.from([ETX])])
}

/** Splits the stream into weights in kg; a frame with a bad checksum or shape is skipped up to the next STX. */
export class WeightFrameDecoder {
  private buffer = Buffer.alloc(0)
  checksumErrors = 0

  push(chunk: Uint8Array): number[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const weights: number[] = []
    for (;;) {
      const start = this.buffer.indexOf(STX)
      if (start < 0) {
        this.buffer = Buffer.alloc(0)
        break
      }
      this.buffer = this.buffer.subarray(start)
      if (this.buffer.length < FRAME_LENGTH) break
      const weight = parseFrame(this.buffer.subarray(0, FRAME_LENGTH))
      if (weight === null) {
        this.checksumErrors++
        this.buffer = this.buffer.subarray(1)
        continue
      }
      weights.push(weight)
      this.buffer = this.buffer.subarray(FRAME_LENGTH)
    }
    return weights
  }
}

function parseFrame(frame: Uint8Array): number | null {
  if (frame[0] !== STX || frame[FRAME_LENGTH - 1] !== ETX) return null
  const match = /^([+-])(\d{6})([0-4])([0-9A-F]{2})$/.exec(Buffer.from(frame.subarray(1, FRAME_LENGTH - 1)).toString('latin1'))
  if (!match) return null
  if (parseInt(match[4]!, 16) !== xorOf(frame, 1, 9)) return null
  const value = Number(match[2]) / 10 ** Number(match[3])
  return match[1] === '-' ? -value : value
}

/**
 * A weight is stable once every reading of the last `settleMs` stayed within `toleranceKg` of each other (and at
 * least `settleMs` of readings exist). Pure: readings in, readings with the flag out.
 */
export class StabilityDetector {
  private window: { kg: number; at: number }[] = []

  constructor(private readonly options: { toleranceKg: number; settleMs: number }) {}

  add(kg: number, at: number): WeightReading {
    this.window.push({ kg, at })
    const since = at - this.options.settleMs
    // Keep one reading at or before the window's start, so the span can reach settleMs.
    while (this.window.length > 1 && this.window[1]!.at <= since) this.window.shift()
    const covered = at - this.window[0]!.at >= this.options.settleMs
    const values = this.window.map((r) => r.kg)
    const stable = covered && Math.max(...values) - Math.min(...values) <= this.options.toleranceKg
    return { kg, stable, at }
  }

  reset(): void {
    this.window = []
  }
}
