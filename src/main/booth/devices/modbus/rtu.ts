/**
 * Modbus RTU framing, written here rather than taken from modbus-serial (see docs/devices.md): the barrier needs
 * three function codes, and the simulator must speak the same frames from the other end of the line.
 *
 * Frames are found by content, not by the 3.5-character silence of the RTU spec: over a pty, a TCP converter or a
 * USB adapter with its own buffering, gaps between bytes say nothing reliable. A frame is accepted only when its
 * address, function code, length and CRC all fit; anything else is skipped byte by byte (resynchronisation).
 */
import { crcMatches, withCrc } from '../crc16'

export const FunctionCode = { readCoils: 0x01, readDiscreteInputs: 0x02, writeSingleCoil: 0x05 } as const

export const COIL_ON = 0xff00
export const COIL_OFF = 0x0000

/** The exception codes of the Modbus application protocol (section 7), as a technician reads them. */
export const exceptionText: Record<number, string> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'server device failure',
  0x06: 'server device busy'
}

/** A request as the master sends it. `value` is the quantity for reads, COIL_ON/COIL_OFF for a coil write. */
export interface RtuRequest {
  unit: number
  fn: number
  address: number
  value: number
}

export function encodeRequest({ unit, fn, address, value }: RtuRequest): Buffer {
  return withCrc(Buffer.from([unit, fn, address >> 8, address & 0xff, value >> 8, value & 0xff]))
}

export function encodeBitsResponse(unit: number, fn: number, bits: readonly boolean[]): Buffer {
  const data = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((on, i) => {
    if (on) data[i >> 3]! |= 1 << (i & 7)
  })
  return withCrc(Buffer.concat([Buffer.from([unit, fn, data.length]), data]))
}

export function encodeException(unit: number, fn: number, code: number): Buffer {
  return withCrc(Buffer.from([unit, fn | 0x80, code]))
}

function isRead(fn: number): boolean {
  return fn === FunctionCode.readCoils || fn === FunctionCode.readDiscreteInputs
}

/** Length of the normal reply to `request`: a read returns its bits packed in bytes, a coil write echoes itself. */
export function responseLength(request: RtuRequest): number {
  return isRead(request.fn) ? 5 + Math.ceil(request.value / 8) : 8
}

export type RtuReply = { kind: 'bits'; bits: boolean[] } | { kind: 'echo' } | { kind: 'exception'; code: number; text: string }

export interface ScanResult {
  /** The reply, once a complete frame with a good CRC was found. */
  reply: RtuReply | null
  /** Bytes to drop from the front of the buffer: skipped garbage, plus the frame when one was found. */
  consumed: number
  /** Candidate frames rejected for a wrong CRC. */
  crcErrors: number
  /** Bytes skipped because they could not start the expected reply. */
  skipped: number
}

/**
 * Looks in `buffer` for the reply to `request`: a frame starting with its unit and function code (or the exception
 * flag), of the right length, with a good CRC, and for a coil write the exact echo of the request. Bytes before it
 * are garbage; a candidate with a bad CRC costs one byte and the scan goes on, so a corrupted or shifted frame never
 * blocks the line.
 */
export function scanReply(buffer: Uint8Array, request: RtuRequest): ScanResult {
  let crcErrors = 0
  for (let start = 0; start < buffer.length; start++) {
    if (buffer[start] !== request.unit) continue
    if (start + 1 >= buffer.length) return { reply: null, consumed: start, crcErrors, skipped: start }
    const fn = buffer[start + 1]!
    const exception = fn === (request.fn | 0x80)
    if (fn !== request.fn && !exception) continue
    const length = exception ? 5 : responseLength(request)
    if (isRead(request.fn) && !exception && start + 2 < buffer.length && buffer[start + 2] !== length - 5) continue
    if (buffer.length - start < length) return { reply: null, consumed: start, crcErrors, skipped: start }
    const frame = buffer.subarray(start, start + length)
    if (!crcMatches(frame)) {
      crcErrors++
      continue
    }
    // A coil write is answered by its own echo: a late echo of another write (a lower that timed out) is not the
    // answer to this one, and taking it would report an open the controller never acknowledged.
    if (!isRead(request.fn) && !exception && !encodeRequest(request).equals(frame)) continue
    return { reply: decodeReply(frame, request), consumed: start + length, crcErrors, skipped: start }
  }
  return { reply: null, consumed: buffer.length, crcErrors, skipped: buffer.length }
}

function decodeReply(frame: Uint8Array, request: RtuRequest): RtuReply {
  if (frame[1]! & 0x80) {
    const code = frame[2]!
    return { kind: 'exception', code, text: exceptionText[code] ?? `exception ${code}` }
  }
  if (!isRead(request.fn)) return { kind: 'echo' }
  const bits: boolean[] = []
  for (let i = 0; i < request.value; i++) bits.push(((frame[3 + (i >> 3)]! >> (i & 7)) & 1) === 1)
  return { kind: 'bits', bits }
}

/**
 * The slave's side: splits a byte stream into requests addressed to `unit`. Every request the simulator answers
 * (function codes 1–6) is 8 bytes; a window that does not hold one with a good CRC loses its first byte.
 */
export class RequestDecoder {
  private buffer = Buffer.alloc(0)
  /** Bytes dropped while resynchronising, for the simulator's log. */
  discarded = 0
  crcErrors = 0

  constructor(private readonly unit: number) {}

  push(chunk: Uint8Array): RtuRequest[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const requests: RtuRequest[] = []
    while (this.buffer.length >= 8) {
      const frame = this.buffer.subarray(0, 8)
      const plausible = frame[0] === this.unit && frame[1]! >= 1 && frame[1]! <= 6
      if (plausible && crcMatches(frame)) {
        requests.push({ unit: frame[0]!, fn: frame[1]!, address: frame.readUInt16BE(2), value: frame.readUInt16BE(4) })
        this.buffer = this.buffer.subarray(8)
        continue
      }
      if (plausible) this.crcErrors++
      this.discarded++
      this.buffer = this.buffer.subarray(1)
    }
    return requests
  }
}
