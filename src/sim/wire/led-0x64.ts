/**
 * The display's side of the lane LED protocol 《显示屏通信协议》V2.0 (the "0x64" protocol):
 *   DA  VR(0x64)  PN(2, FF FF = single packet)  CMD  DL  DATA[DL]  CRC-16/MODBUS (low byte first)
 * Written from the document for the simulator: commands 0x62 (下载临时文本), 0x30 (播放语音), 0x00 (连接), and the
 * replies the document gives (ACK, and RET + versions for 0x00). Text is GB2312.
 */
import iconv from 'iconv-lite'
import { appendCrc, hasGoodCrc } from './crc16'

export const VERSION_BYTE = 0x64

export interface Led0x64Packet {
  address: number
  command: number
  data: Buffer
}

/** The colour a 0x62 packet's TC (R G B A) names, as the simulator reports it. */
export type LedColourName = 'red' | 'green' | 'yellow'

export type Led0x64Command =
  | { kind: 'text'; line: number; colour: LedColourName | null; rgba: number[]; text: string }
  | { kind: 'voice'; option: number; text: string }
  | { kind: 'connect'; password: string }
  | { kind: 'unknown'; command: number }

function named(rgba: number[]): LedColourName | null {
  const [r, g, b] = rgba
  if (b !== 0) return null
  if (r === 0xff && g === 0) return 'red'
  if (r === 0 && g === 0xff) return 'green'
  if (r === 0xff && g === 0xff) return 'yellow'
  return null
}

/** Reads what a packet asks the display to do; throws on a packet whose own lengths disagree. */
export function readLedCommand(packet: Led0x64Packet): Led0x64Command {
  const { command, data } = packet
  switch (command) {
    case 0x62: {
      // TWID ETM ETS GST DT RA1[2] FINDEX DRS TC[4] RA2[4] TL R3 TEXT[TL]
      if (data.length < 19) throw new Error(`0x62 too short (${data.length} bytes)`)
      const textLength = data[17]!
      if (19 + textLength !== data.length) throw new Error(`0x62 TL ${textLength} does not match DL ${data.length}`)
      const rgba = [...data.subarray(9, 13)]
      return { kind: 'text', line: data[0]!, colour: named(rgba), rgba, text: iconv.decode(data.subarray(19), 'gb2312') }
    }
    case 0x30:
      if (data.length < 1) throw new Error('0x30 has no OPT byte')
      return { kind: 'voice', option: data[0]!, text: iconv.decode(data.subarray(1), 'gb2312') }
    case 0x00:
      return { kind: 'connect', password: data.toString('latin1') }
    default:
      return { kind: 'unknown', command }
  }
}

function packet(address: number, command: number, data: number[]): Buffer {
  return appendCrc(Buffer.from([address, VERSION_BYTE, 0xff, 0xff, command, data.length, ...data]), 0xffff)
}

/** The answer to 0x62/0x30: DL 1, ACK (0 = done). */
export function ledAck(address: number, command: number, ack: number): Buffer {
  return packet(address, command, [ack])
}

/** The answer to 0x00: RET (0 = password accepted), then hardware, software and protocol versions. */
export function ledConnectAnswer(address: number, accepted: boolean, versions: number[]): Buffer {
  return packet(address, 0x00, [accepted ? 0 : 1, ...versions])
}

/** Splits the bytes the booth sends into packets for `address`, skipping a byte whenever no packet starts there. */
export class Led0x64Reader {
  private pending = Buffer.alloc(0)
  discarded = 0
  crcErrors = 0

  constructor(private readonly address: number) {}

  push(chunk: Uint8Array): Led0x64Packet[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const found: Led0x64Packet[] = []
    while (this.pending.length >= 6) {
      const p = this.pending
      if (p[0] !== this.address || p[1] !== VERSION_BYTE || p[2] !== 0xff || p[3] !== 0xff) {
        this.dropFirstByte()
        continue
      }
      const total = 6 + p[5]! + 2
      if (p.length < total) break
      if (!hasGoodCrc(p.subarray(0, total), 0xffff)) {
        this.crcErrors++
        this.dropFirstByte()
        continue
      }
      found.push({ address: p[0]!, command: p[4]!, data: Buffer.from(p.subarray(6, total - 2)) })
      this.pending = p.subarray(total)
    }
    return found
  }

  private dropFirstByte(): void {
    this.discarded++
    this.pending = this.pending.subarray(1)
  }
}
