/**
 * The Onbon (仰邦) BX-5/BX-6 controller protocol, the booth's side (docs/devices.md, "Onbon BX display"):
 *
 *   A5 × 8   DstAddr[2] SrcAddr[2] Reserved[3] Option CheckMode DisplayMode DeviceType ProtocolVer DataLen[2] Data CRC[2]   5A
 *   wake-up  └──────────────────────────── escaped: A5→A6 02, A6→A6 01, 5A→5B 02, 5B→5B 01 ───────────────────────┘   end
 *
 * Multi-byte fields are little-endian; the CRC is CRC-16/ARC (reflected 0xA001, initial 0) over DstAddr…Data, low byte
 * first, computed before escaping. Commands used: A3 06 "发送实时显示信息" (dynamic areas: one per line, its colour as
 * the inline code \C1 red, \C2 green, \C3 yellow, the voice as the area's SoundData) and A2 00 as the health probe.
 * The controller answers CmdGroup A0, Cmd 00 (ACK) or 01 (NACK), then Error, R0, R1.
 */
import type { DisplayColour } from '../types'
import { crcArc } from '../crc16'
import { DisplayTextError, encodeGb2312 } from '../display-led-0x64/protocol-0x64'

export const PREAMBLE_LENGTH = 8
const START = 0xa5
const END = 0x5a
/** The PC's source address in the protocol's examples. */
export const PC_ADDRESS = 0x8000
/** DeviceType FE: any controller model answers. */
export const ANY_DEVICE = 0xfe
export const PROTOCOL_VERSION = 0x02
const HEADER_LENGTH = 14

export const BxCommand = { dynamicArea: [0xa3, 0x06], status: [0xa2, 0x00] } as const
/** Inline colour codes of the text data. */
export const colourCode: Record<DisplayColour, string> = { red: '\\C1', green: '\\C2', yellow: '\\C3' }

/** Bytes of a text area over the 4-byte DataLen: far more than a lane display shows, so this is only a sanity limit. */
export const MAX_AREA_TEXT_BYTES = 512
export const MAX_VOICE_BYTES = 512

function escape(bytes: Uint8Array): number[] {
  const out: number[] = []
  for (const byte of bytes) {
    if (byte === 0xa5) out.push(0xa6, 0x02)
    else if (byte === 0xa6) out.push(0xa6, 0x01)
    else if (byte === 0x5a) out.push(0x5b, 0x02)
    else if (byte === 0x5b) out.push(0x5b, 0x01)
    else out.push(byte)
  }
  return out
}

/** The escaped bytes back; null when an escape byte is followed by anything but 01/02. */
function unescape(bytes: Uint8Array): Buffer | null {
  const out: number[] = []
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (byte !== 0xa6 && byte !== 0x5b) {
      out.push(byte)
      continue
    }
    const next = bytes[++i]
    if (next !== 0x01 && next !== 0x02) return null
    out.push(byte === 0xa6 ? (next === 0x01 ? 0xa6 : 0xa5) : next === 0x01 ? 0x5b : 0x5a)
  }
  return Buffer.from(out)
}

const u16 = (value: number) => [value & 0xff, (value >>> 8) & 0xff]
const u32 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]

/** One frame to the controller at `screen`, `data` being CmdGroup Cmd … */
export function encodeFrame(screen: number, data: Uint8Array, source = PC_ADDRESS): Buffer {
  const header = [...u16(screen), ...u16(source), 0, 0, 0, 0x00, 0x00, 0x00, ANY_DEVICE, PROTOCOL_VERSION, ...u16(data.length)]
  const body = Buffer.concat([Buffer.from(header), data])
  const crc = crcArc(body)
  return Buffer.from([...new Array<number>(PREAMBLE_LENGTH).fill(START), ...escape(Buffer.concat([body, Buffer.from(u16(crc))])), END])
}

/** A2 00: the status query, answered by any live controller; the health probe. */
export function encodeStatusQuery(screen: number): Buffer {
  return encodeFrame(screen, Buffer.from([...BxCommand.status, 0x01, 0x00, 0x00]))
}

export interface AreaGeometry {
  /** Pixels. */
  x: number
  y: number
  width: number
  height: number
}

export interface DynamicArea {
  id: number
  geometry: AreaGeometry
  colour: DisplayColour
  text: string
  /** Spoken by the controller's voice module (SoundMode 2: SoundData). */
  voice?: string
}

/** Text for an area: no backslash (it starts the inline codes), GB2312 only. */
function areaText(area: DynamicArea): Buffer {
  if (area.text.includes('\\')) throw new DisplayTextError(`area ${area.id + 1}: "\\" is the display's control character`)
  return encodeGb2312(colourCode[area.colour] + area.text, `area ${area.id + 1}`, MAX_AREA_TEXT_BYTES)
}

/**
 * One area of A3 06: AreaType 0 (text), X/width in pixels (BxSeries), Y/height in pixels,
 * DynamicAreaLoc = id, line spacing 0, RunMode 1 (stay on the last page), Timeout 0, SoundMode, ExtendParaLen 0,
 * alignment centred, single line, no auto wrap, DisplayMode 1 (static), ExitMode 0, Speed 0, StayTime 0, DataLen[4],
 * Data; with a voice, SoundMode 2 and then: person (low nibble) and repeats (high nibble) 00, SoundVolume 5,
 * SoundSpeed 5, SoundDataLen[4], SoundData.
 */
/**
 * How a controller reads X and width: the BX-5 series in bytes of 8 pixels unless the high bit of the high byte says
 * pixels (so that bit is set), the BX-6 series in pixels.
 */
export type BxSeries = 'bx5' | 'bx6'

function areaData(area: DynamicArea, series: BxSeries): Buffer {
  const pixels = series === 'bx5' ? 0x8000 : 0
  const text = areaText(area)
  const { x, y, width, height } = area.geometry
  const sound = area.voice ? encodeGb2312(area.voice, 'voice', MAX_VOICE_BYTES) : null
  const voiceFields = sound ? [0x02, 0x00, 0x05, 0x05, ...u32(sound.length), ...sound] : [0x00]
  return Buffer.from([
    0x00,
    ...u16(x | pixels),
    ...u16(y),
    ...u16(width | pixels),
    ...u16(height),
    area.id,
    0x00,
    0x01,
    ...u16(0),
    ...voiceFields,
    0x00,
    0x0a,
    0x01,
    0x01,
    0x01,
    0x00,
    0x00,
    0x00,
    ...u32(text.length),
    ...text
  ])
}

/**
 * A3 06: reply wanted, ProcessMode 0 (keep the areas' set-up), no area deleted, then each area as AreaDataLen[2] +
 * its data. Throws DisplayTextError before anything is sent if a text cannot be shown.
 */
export function encodeDynamicAreas(screen: number, areas: readonly DynamicArea[], series: BxSeries = 'bx5'): Buffer {
  if (areas.length === 0 || areas.length > 32) throw new DisplayTextError(`${areas.length} areas: 1–32 per command`)
  const parts = areas.map((area) => areaData(area, series))
  const data = Buffer.concat([Buffer.from([...BxCommand.dynamicArea, 0x01, 0x00, 0x00, 0x00, areas.length]), ...parts.flatMap((part) => [Buffer.from(u16(part.length)), part])])
  return encodeFrame(screen, data)
}

export interface BxFrame {
  destination: number
  source: number
  data: Buffer
}

export interface BxScan {
  frame: BxFrame | null
  /** Bytes to drop from the front (garbage, rejected candidates, and the frame once found). */
  consumed: number
  crcErrors: number
}

/**
 * Finds the next whole frame: one or more A5, the escaped body, 5A. 5A never occurs inside a frame (it is escaped),
 * so a candidate that fails (bad escape, length or CRC) is dropped up to its 5A and the search goes on.
 */
export function scanFrame(buffer: Uint8Array): BxScan {
  let crcErrors = 0
  let offset = 0
  for (;;) {
    const start = buffer.indexOf(START, offset)
    if (start < 0) return { frame: null, consumed: buffer.length, crcErrors }
    let bodyStart = start
    while (buffer[bodyStart] === START) bodyStart++
    const end = buffer.indexOf(END, bodyStart)
    if (end < 0) return { frame: null, consumed: start, crcErrors }
    const body = unescape(buffer.subarray(bodyStart, end))
    const frame = body ? readBody(body) : null
    if (frame) return { frame, consumed: end + 1, crcErrors }
    if (body && body.length >= HEADER_LENGTH + 2) crcErrors++
    offset = end + 1
  }
}

function readBody(body: Buffer): BxFrame | null {
  if (body.length < HEADER_LENGTH + 2) return null
  const dataLength = body.readUInt16LE(12)
  if (body.length !== HEADER_LENGTH + dataLength + 2) return null
  if (crcArc(body.subarray(0, body.length - 2)) !== body.readUInt16LE(body.length - 2)) return null
  return { destination: body.readUInt16LE(0), source: body.readUInt16LE(2), data: Buffer.from(body.subarray(HEADER_LENGTH, HEADER_LENGTH + dataLength)) }
}

/** What the controller's answer (CmdGroup A0, Cmd, Error, R0, R1) says: ACK (A0 00), or NACK (A0 01) with its error. */
export function readAnswer(data: Buffer): { ok: true } | { ok: false; code: number } | null {
  if (data[0] !== 0xa0) return null
  if (data[1] === 0x00) return { ok: true }
  return { ok: false, code: data[2] ?? -1 }
}
