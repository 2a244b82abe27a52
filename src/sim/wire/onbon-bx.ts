/**
 * The controller's side of the Onbon (仰邦) BX-5/BX-6 protocol, written for the simulator from the protocol's frame
 * description (docs/devices.md, "Onbon BX display"): wake-up bytes A5, an escaped body (A5→A6 02, A6→A6 01, 5A→5B 02,
 * 5B→5B 01), end byte 5A. The body is DstAddr[2] SrcAddr[2] Reserved[3] Option CheckMode DisplayMode DeviceType
 * ProtocolVer DataLen[2] Data CRC16[2], little-endian, CRC-16/ARC over DstAddr…Data.
 */
import iconv from 'iconv-lite'
import { crc16 } from './crc16'

export interface OnbonPacket {
  destination: number
  source: number
  deviceType: number
  data: Buffer
}

const ESCAPES: Record<number, number> = { 0xa5: 0xa6, 0xa6: 0xa6, 0x5a: 0x5b, 0x5b: 0x5b }
const ESCAPE_CODE: Record<number, number> = { 0xa5: 0x02, 0xa6: 0x01, 0x5a: 0x02, 0x5b: 0x01 }

/** A reply frame from `screen` to `pc`. */
export function onbonFrame(screen: number, pc: number, data: number[]): Buffer {
  const body = Buffer.alloc(14 + data.length)
  body.writeUInt16LE(pc, 0)
  body.writeUInt16LE(screen, 2)
  body[10] = 0xfe
  body[11] = 0x02
  body.writeUInt16LE(data.length, 12)
  Buffer.from(data).copy(body, 14)
  const crc = crc16(body, 0x0000)
  const raw = [...body, crc & 0xff, crc >>> 8]
  const escaped = raw.flatMap((byte) => (byte in ESCAPES ? [ESCAPES[byte]!, ESCAPE_CODE[byte]!] : [byte]))
  return Buffer.from([0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, ...escaped, 0x5a])
}

/** The answer's data: CmdGroup A0, Cmd 00 (ACK) or 01 (NACK), Error, R0, R1. */
export const ONBON_OK = [0xa0, 0x00, 0x00, 0x00, 0x00]
export const onbonFailed = (error: number) => [0xa0, 0x01, error & 0xff, 0x00, 0x00]

/** Splits the stream into frames: A5…, body, 5A; a body that does not unescape, add up or check out is dropped. */
export class OnbonReader {
  private pending = Buffer.alloc(0)
  crcErrors = 0
  discarded = 0

  push(chunk: Uint8Array): OnbonPacket[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const found: OnbonPacket[] = []
    for (;;) {
      const first = this.pending.indexOf(0xa5)
      if (first < 0) {
        this.discarded += this.pending.length
        this.pending = Buffer.alloc(0)
        return found
      }
      let at = first
      while (this.pending[at] === 0xa5) at++
      const end = this.pending.indexOf(0x5a, at)
      if (end < 0) {
        this.discarded += first
        this.pending = this.pending.subarray(first)
        return found
      }
      const packet = this.parse(this.pending.subarray(at, end))
      if (packet) found.push(packet)
      else this.discarded += end + 1
      this.pending = this.pending.subarray(end + 1)
    }
  }

  private parse(escaped: Buffer): OnbonPacket | null {
    const raw: number[] = []
    for (let i = 0; i < escaped.length; i++) {
      const byte = escaped[i]!
      if (byte === 0xa6 || byte === 0x5b) {
        const code = escaped[++i]
        if (code === 0x01) raw.push(byte)
        else if (code === 0x02) raw.push(byte === 0xa6 ? 0xa5 : 0x5a)
        else return null
      } else raw.push(byte)
    }
    const body = Buffer.from(raw)
    if (body.length < 16 || body.readUInt16LE(12) !== body.length - 16) return null
    if (crc16(body.subarray(0, body.length - 2), 0x0000) !== body.readUInt16LE(body.length - 2)) {
      this.crcErrors++
      return null
    }
    return { destination: body.readUInt16LE(0), source: body.readUInt16LE(2), deviceType: body[10]!, data: body.subarray(14, body.length - 2) }
  }
}

export interface OnbonArea {
  id: number
  x: number
  y: number
  width: number
  height: number
  /** The text with its inline codes removed, and the colour its \Cn code named. */
  text: string
  colour: 'red' | 'green' | 'yellow' | null
  voice: string | null
}

const COLOURS: Record<string, OnbonArea['colour']> = { '1': 'red', '2': 'green', '3': 'yellow' }

/** Reads A3 06 (发送实时显示信息): the areas it sets, each with its text, colour and voice. Throws on a malformed one. */
export function readDynamicAreas(data: Buffer): { areas: OnbonArea[]; deleted: number[] | 'all' } {
  let at = 2
  const need = (count: number) => {
    if (at + count > data.length) throw new Error(`A3 06 cut short at byte ${at}`)
  }
  need(5)
  at += 3 // response flag, ProcessMode, reserved
  const deleteCount = data[at++]!
  let deleted: number[] | 'all' = []
  if (deleteCount === 0xff) deleted = 'all'
  else if (deleteCount > 0) {
    need(deleteCount)
    deleted = [...data.subarray(at, at + deleteCount)]
    at += deleteCount
  }
  need(1)
  const count = data[at++]!
  const areas: OnbonArea[] = []
  for (let n = 0; n < count; n++) {
    need(2)
    const length = data.readUInt16LE(at)
    at += 2
    need(length)
    areas.push(readArea(data.subarray(at, at + length)))
    at += length
  }
  return { areas, deleted }
}

function readArea(area: Buffer): OnbonArea {
  let at = 0
  const take = (count: number) => {
    if (at + count > area.length) throw new Error(`area data cut short at byte ${at}`)
    const slice = area.subarray(at, at + count)
    at += count
    return slice
  }
  take(1) // AreaType
  // X and width: pixels when the high bit is set (BX-5) or on a BX-6; this simulator reports the number as sent.
  const x = take(2).readUInt16LE(0) & 0x7fff
  const y = take(2).readUInt16LE(0)
  const width = take(2).readUInt16LE(0) & 0x7fff
  const height = take(2).readUInt16LE(0)
  const id = take(1)[0]!
  take(1 + 1 + 2) // line spacing, RunMode, Timeout
  const soundMode = take(1)[0]!
  let voice: string | null = null
  if (soundMode !== 0) {
    take(3) // person (low nibble) and repeats (high nibble), SoundVolume, SoundSpeed
    if (soundMode === 2) {
      const soundLength = take(4).readUInt32LE(0)
      voice = iconv.decode(take(soundLength), 'gb2312')
    }
  }
  const extend = take(1)[0]!
  take(extend)
  take(7) // alignment, single line, new line, display mode, exit mode, speed, stay time
  const textLength = take(4).readUInt32LE(0)
  const raw = iconv.decode(take(textLength), 'gb2312')
  // Inline codes: \Cn (colour, one digit) and \FExxx (font, three digits) as the protocol's examples use them.
  const text = raw.replace(/\\C\d|\\F[A-Z]\d{3}/g, '')
  if (soundMode === 1) voice = text
  const colourCode = /\\C(\d)/.exec(raw)?.[1]
  return { id, x, y, width, height, text, colour: colourCode ? (COLOURS[colourCode] ?? null) : null, voice }
}
