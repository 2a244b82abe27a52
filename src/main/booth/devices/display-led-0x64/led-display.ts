/**
 * The lane LED display over its serial line, speaking the 0x64 protocol (protocol-0x64.ts): one 0x62 packet per
 * line, then 0x30 for the voice; each must be acknowledged with ACK 0 before the next goes out.
 */
import type { DisplayLine } from '../types'
import { ExchangeError, type Scan } from '../serial/exchange'
import { ProbedDisplay } from '../probed-display'
import { crcMatches } from '../crc16'
import { encodeConnect, encodePlayVoice, encodeShowText, LAST_PACKET, MAX_LINES, PROTOCOL_VERSION, replyLength } from './protocol-0x64'

export interface LedDisplayOptions {
  id: string
  laneId: string | null
  path: string
  baudRate: number
  /** DA: the display's address on the RS485 bus. */
  address: number
  timeoutMs: number
  reconnectMs: number
  /** The 0x00 password (displays without encryption ignore it). */
  password: string
  /** How often an idle display is asked for its version, to keep its health true. */
  probeMs: number
  /** Text lines the display has (1–4); lines not given in show() are blanked, so no stale verdict stays up. */
  lines: number
}

/** Finds the controller's answer to `command`: DA 0x64 FF FF CMD DL DATA CRC, DL as `replyLength` says. */
export function scanAnswer(buffer: Buffer, address: number, command: number): Scan<Buffer> {
  const dataLength = replyLength[command] ?? 1
  const length = 6 + dataLength + 2
  let crcErrors = 0
  for (let start = 0; start + length <= buffer.length; start++) {
    const b = buffer
    if (b[start] !== address || b[start + 1] !== PROTOCOL_VERSION || b.readUInt16BE(start + 2) !== LAST_PACKET) continue
    if (b[start + 4] !== command || b[start + 5] !== dataLength) continue
    if (!crcMatches(b.subarray(start, start + length))) {
      crcErrors++
      continue
    }
    return { reply: Buffer.from(b.subarray(start + 6, start + 6 + dataLength)), consumed: start + length, crcErrors }
  }
  // Keep the last bytes that may be the start of the answer.
  return { reply: null, consumed: Math.max(0, buffer.length - (length - 1)), crcErrors }
}

export class LedDisplay extends ProbedDisplay {
  constructor(private readonly options: LedDisplayOptions) {
    super(options, options, options.timeoutMs, options.probeMs)
  }

  /** Asks for the display's versions (0x00); the answer, or its absence, updates the health. */
  protected probe(): Promise<void> {
    return this.sendPacket(encodeConnect(this.options.address, this.options.password))
  }

  /** Rejects before sending anything if a line or the voice cannot be encoded, so the display never shows half. */
  async show(lines: DisplayLine[], voice?: string): Promise<void> {
    const capacity = Math.min(this.options.lines, MAX_LINES)
    this.checkLineCount(lines, capacity)
    const { address } = this.options
    const blank: DisplayLine = { text: '', colour: 'green' }
    const all = [...lines, ...new Array<DisplayLine>(capacity - lines.length).fill(blank)]
    const packets = all.map((line, index) => encodeShowText(address, index, line.colour, line.text))
    if (voice) packets.push(encodePlayVoice(address, voice))
    for (const packet of packets) await this.sendPacket(packet)
  }

  private sendPacket(packet: Buffer): Promise<void> {
    const command = packet[4]!
    return this.send(packet, (buffer) => scanAnswer(buffer, this.options.address, command), (answer) => {
      if (answer[0] !== 0) throw new ExchangeError(`display refused command 0x${command.toString(16).padStart(2, '0')} (${command === 0 ? 'wrong password' : `ACK ${answer[0]}`})`, 'error')
    })
  }
}
