/**
 * The lane LED display protocol of the common parking/gate display controllers ("显示屏通信协议" V2.0, 2020-12-10;
 * frames start with the address and the protocol version 0x64 = 100). Documented, with worked examples, in
 * docs/devices.md:
 *
 *   DA  VR  PN[2]  CMD  DL  DATA[DL]  CRC[2]
 *   addr 0x64 0xFFFF cmd len data  CRC-16/MODBUS over DA…DATA, low byte first
 *
 * Text is GB2312 (the controller has no Unicode). Commands used: 0x62 "下载临时文本" (one line, with its colour),
 * 0x30 "播放语音" (voice), and 0x00 "连接" (password check / version query) as the health probe. Every command is
 * answered with the same header; 0x62 and 0x30 with DL = 1 and an ACK byte (0 = done), 0x00 with RET and versions.
 */
import iconv from 'iconv-lite'
import type { DisplayColour } from '../types'
import { crcMatches, withCrc } from '../crc16'

export const PROTOCOL_VERSION = 0x64
export const LAST_PACKET = 0xffff
export const Command = { connect: 0x00, showText: 0x62, playVoice: 0x30 } as const

/** Four text windows (lines) is what these controllers drive (the protocol's own limit for multi-line text). */
export const MAX_LINES = 4
/** DL is one byte at version 0x64 and 0x62 has 19 bytes before the text. */
export const MAX_TEXT_BYTES = 255 - 19
/** 0x30: one option byte before the text. */
export const MAX_VOICE_BYTES = 254

/** TC[4] of 0x62: R G B A. */
export const colourBytes: Record<DisplayColour, [number, number, number, number]> = {
  red: [0xff, 0x00, 0x00, 0x00],
  green: [0x00, 0xff, 0x00, 0x00],
  yellow: [0xff, 0xff, 0x00, 0x00]
}

/** Text the controller cannot show is refused here with its reason, never sent as '?'. */
export class DisplayTextError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DisplayTextError'
  }
}

export function encodeGb2312(text: string, what: string, maxBytes: number): Buffer {
  const bytes = iconv.encode(text, 'gb2312')
  if (iconv.decode(bytes, 'gb2312') !== text) throw new DisplayTextError(`${what} "${text}" has characters GB2312 cannot encode`)
  if (bytes.length > maxBytes) throw new DisplayTextError(`${what} is ${bytes.length} bytes in GB2312, the display takes at most ${maxBytes}`)
  return bytes
}

function packet(address: number, command: number, data: Uint8Array): Buffer {
  return withCrc(Buffer.concat([Buffer.from([address, PROTOCOL_VERSION, 0xff, 0xff, command, data.length]), data]))
}

/**
 * 0x62: TWID ETM ETS GST DT RA1[2] FINDEX DRS TC[4] RA2[4] TL R3 TEXT. Shown at once (ETM 0), speed 1, no template
 * time (GST 0), dwell 5, font 宋体16 (FINDEX 3), repeated forever (DRS 0). RA1 is 00 01 as in the protocol's own
 * worked example (its table says 00 00; controllers accept both).
 */
export function encodeShowText(address: number, line: number, colour: DisplayColour, text: string): Buffer {
  if (!Number.isInteger(line) || line < 0 || line >= MAX_LINES) throw new DisplayTextError(`line ${line + 1}: the display has ${MAX_LINES} lines`)
  const bytes = encodeGb2312(text, `line ${line + 1}`, MAX_TEXT_BYTES)
  const head = [line, 0x00, 0x01, 0x00, 0x05, 0x00, 0x01, 0x03, 0x00, ...colourBytes[colour], 0, 0, 0, 0, bytes.length, 0x00]
  return packet(address, Command.showText, Buffer.concat([Buffer.from(head), bytes]))
}

/** 0x30 with OPT 0x02: clear the voice queue, queue this text, play it. */
export function encodePlayVoice(address: number, text: string): Buffer {
  return packet(address, Command.playVoice, Buffer.concat([Buffer.from([0x02]), encodeGb2312(text, 'voice', MAX_VOICE_BYTES)]))
}

export function encodeAck(address: number, command: number, ack = 0): Buffer {
  return packet(address, command, Buffer.from([ack]))
}

/** 0x00: PWD is 6–32 characters; displays without encryption only answer with their versions. */
export function encodeConnect(address: number, password: string): Buffer {
  if (!/^[\x21-\x7e]{6,32}$/.test(password)) throw new DisplayTextError('display password must be 6–32 printable ASCII characters')
  return packet(address, Command.connect, Buffer.from(password, 'ascii'))
}

/** The reply to 0x00: RET (0 = password accepted) + hardware, software and protocol versions, 3 bytes each. */
export function encodeConnectReply(address: number, accepted: boolean, versions: [number[], number[], number[]]): Buffer {
  return packet(address, Command.connect, Buffer.from([accepted ? 0 : 1, ...versions.flat()]))
}

/** DL of each command's reply. */
export const replyLength: Record<number, number> = { [Command.connect]: 10, [Command.showText]: 1, [Command.playVoice]: 1 }

export interface LedPacket {
  address: number
  command: number
  data: Buffer
}

export type DecodedCommand =
  | { kind: 'text'; line: number; colour: DisplayColour | null; rgba: number[]; text: string }
  | { kind: 'voice'; option: number; text: string }
  | { kind: 'connect'; password: string }
  | { kind: 'other'; command: number }

/** What a display does with a packet: the line and colour it shows, or the sentence it speaks. */
export function decodeCommand(packet: LedPacket): DecodedCommand {
  const { command, data } = packet
  if (command === Command.showText) {
    if (data.length < 19 || data[17]! !== data.length - 19) throw new DisplayTextError(`0x62 with inconsistent lengths (DL ${data.length}, TL ${data[17]})`)
    const rgba = [...data.subarray(9, 13)]
    const colour = (Object.keys(colourBytes) as DisplayColour[]).find((name) => colourBytes[name].every((v, i) => v === rgba[i])) ?? null
    return { kind: 'text', line: data[0]!, colour, rgba, text: iconv.decode(data.subarray(19), 'gb2312') }
  }
  if (command === Command.playVoice) {
    if (data.length < 1) throw new DisplayTextError('0x30 without its option byte')
    return { kind: 'voice', option: data[0]!, text: iconv.decode(data.subarray(1), 'gb2312') }
  }
  if (command === Command.connect) return { kind: 'connect', password: data.toString('latin1') }
  return { kind: 'other', command }
}

/**
 * Splits a byte stream into packets for (or from) `address`. A window that does not start with DA 0x64 FF FF, or
 * whose CRC is wrong, loses its first byte and the search goes on.
 */
export class PacketDecoder {
  private buffer = Buffer.alloc(0)
  discarded = 0
  crcErrors = 0

  constructor(private readonly address: number) {}

  push(chunk: Uint8Array): LedPacket[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const packets: LedPacket[] = []
    while (this.buffer.length >= 6) {
      const b = this.buffer
      const header = b[0] === this.address && b[1] === PROTOCOL_VERSION && b[2] === 0xff && b[3] === 0xff
      if (!header) {
        this.drop()
        continue
      }
      const length = 6 + b[5]! + 2
      if (b.length < length) break
      const frame = b.subarray(0, length)
      if (!crcMatches(frame)) {
        this.crcErrors++
        this.drop()
        continue
      }
      packets.push({ address: b[0]!, command: b[4]!, data: Buffer.from(frame.subarray(6, length - 2)) })
      this.buffer = b.subarray(length)
    }
    return packets
  }

  private drop(): void {
    this.discarded++
    this.buffer = this.buffer.subarray(1)
  }
}
