/**
 * A Modbus RTU slave's side of the line, written from the Modbus Application Protocol v1.1b3 (function codes 01,
 * 02, 05 and exception responses, sections 6.1, 6.2, 6.5, 7) and the Modbus over Serial Line guide v1.02 (RTU
 * framing, CRC). Requests are 8 bytes (unit, function, two 16-bit fields, CRC); the simulator finds them by content
 * and drops one byte at a time while what it holds is not a request with a good CRC.
 */
import { appendCrc, hasGoodCrc } from './crc16'

export const READ_COILS = 0x01
export const READ_DISCRETE_INPUTS = 0x02
export const WRITE_SINGLE_COIL = 0x05
/** The two values a single-coil write may carry (spec 6.5). */
export const COIL_ON_VALUE = 0xff00
export const COIL_OFF_VALUE = 0x0000

export interface SlaveRequest {
  unit: number
  fn: number
  /** Starting address (0-based). */
  address: number
  /** Quantity for reads; the output value for a coil write. */
  value: number
  /** The request exactly as received (a coil write is answered by its echo). */
  raw: Buffer
}

export class SlaveRequestReader {
  private pending = Buffer.alloc(0)
  discarded = 0
  crcErrors = 0

  constructor(private readonly unit: number) {}

  push(chunk: Uint8Array): SlaveRequest[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const found: SlaveRequest[] = []
    while (this.pending.length >= 8) {
      const candidate = this.pending.subarray(0, 8)
      const addressed = candidate[0] === this.unit && candidate[1]! >= 0x01 && candidate[1]! <= 0x06
      if (addressed && hasGoodCrc(candidate, 0xffff)) {
        found.push({ unit: candidate[0]!, fn: candidate[1]!, address: (candidate[2]! << 8) | candidate[3]!, value: (candidate[4]! << 8) | candidate[5]!, raw: Buffer.from(candidate) })
        this.pending = this.pending.subarray(8)
        continue
      }
      if (addressed) this.crcErrors++
      this.discarded++
      this.pending = this.pending.subarray(1)
    }
    return found
  }
}

/** Reply to function 01/02: byte count, then the bits packed LSB first (spec 6.1/6.2). */
export function bitsReply(unit: number, fn: number, bits: readonly boolean[]): Buffer {
  const packed: number[] = []
  for (let i = 0; i < bits.length; i += 8) {
    let byte = 0
    for (let j = 0; j < 8 && i + j < bits.length; j++) if (bits[i + j]) byte |= 1 << j
    packed.push(byte)
  }
  return appendCrc(Buffer.from([unit, fn, packed.length, ...packed]), 0xffff)
}

/** Exception response: function code with its high bit set, then the exception code (spec 7). */
export function exceptionReply(unit: number, fn: number, code: number): Buffer {
  return appendCrc(Buffer.from([unit, fn | 0x80, code]), 0xffff)
}
