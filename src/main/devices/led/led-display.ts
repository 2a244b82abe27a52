/**
 * The lane LED display over its serial line, speaking the 0x64 protocol (protocol-0x64.ts): one 0x62 packet per
 * line, then 0x30 for the voice; each must be acknowledged with ACK 0 before the next goes out.
 */
import type { DeviceHealth, Display, DisplayLine } from '../types'
import { HealthTracker } from '../health'
import { Exchange, ExchangeError, type Scan } from '../serial/exchange'
import { SerialLink } from '../serial/link'
import { crcMatches } from '../crc16'
import { DisplayTextError, encodePlayVoice, encodeShowText, LAST_PACKET, MAX_LINES, PROTOCOL_VERSION } from './protocol-0x64'

export interface LedDisplayOptions {
  id: string
  laneId: string | null
  path: string
  baudRate: number
  /** DA: the display's address on the RS485 bus. */
  address: number
  timeoutMs: number
  reconnectMs: number
}

/** Finds the controller's answer to `command`: DA 0x64 FF FF CMD 01 ACK CRC (9 bytes). */
export function scanAck(buffer: Buffer, address: number, command: number): Scan<number> {
  let crcErrors = 0
  for (let start = 0; start + 9 <= buffer.length; start++) {
    const b = buffer
    if (b[start] !== address || b[start + 1] !== PROTOCOL_VERSION || b.readUInt16BE(start + 2) !== LAST_PACKET) continue
    if (b[start + 4] !== command || b[start + 5] !== 1) continue
    if (!crcMatches(b.subarray(start, start + 9))) {
      crcErrors++
      continue
    }
    return { reply: b[start + 6]!, consumed: start + 9, crcErrors }
  }
  // Keep the last 8 bytes: they may be the start of the answer.
  return { reply: null, consumed: Math.max(0, buffer.length - 8), crcErrors }
}

export class LedDisplay implements Display {
  private readonly link: SerialLink
  private readonly exchange: Exchange
  private readonly tracker: HealthTracker

  constructor(private readonly options: LedDisplayOptions) {
    this.tracker = new HealthTracker(options.id, 'display', options.laneId)
    this.link = new SerialLink({ path: options.path, baudRate: options.baudRate, reconnectMs: options.reconnectMs })
    this.exchange = new Exchange(this.link, options.timeoutMs)
    this.link.on('down', (reason) => this.tracker.failed('offline', reason))
    this.link.on('open', () => this.tracker.failed('offline', 'port open, no answer yet'))
    this.link.start()
  }

  /** Rejects before sending anything if a line or the voice cannot be encoded, so the display never shows half. */
  async show(lines: DisplayLine[], voice?: string): Promise<void> {
    if (lines.length > MAX_LINES) throw new DisplayTextError(`${lines.length} lines, the display has ${MAX_LINES}`)
    const { address } = this.options
    const packets = lines.map((line, index) => encodeShowText(address, index, line.colour, line.text))
    if (voice) packets.push(encodePlayVoice(address, voice))
    for (const packet of packets) await this.send(packet)
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {
    await this.exchange.stop()
    await this.link.stop()
  }

  private async send(packet: Buffer): Promise<void> {
    const command = packet[4]!
    try {
      const ack = await this.exchange.request(packet, (buffer) => scanAck(buffer, this.options.address, command))
      if (ack !== 0) throw new ExchangeError(`display refused command 0x${command.toString(16)} (ACK ${ack})`, 'error')
      this.tracker.seen()
    } catch (error) {
      const failure = error instanceof ExchangeError ? error : new ExchangeError((error as Error).message, 'error')
      this.tracker.failed(failure.status, failure.message)
      throw new ExchangeError(`display ${this.options.id}: ${failure.message}`, failure.status)
    }
  }
}
