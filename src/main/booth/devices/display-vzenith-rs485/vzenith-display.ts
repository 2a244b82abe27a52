/**
 * The lane's LED/voice module wired to a Vzenith camera's RS-485 port, driven through the camera's serial
 * pass-through (protocol-vz.ts). The module speaks the 0x64 display protocol (display-led-0x64): each 0x62 line and
 * the 0x30 voice goes out as one `ttransmission send`, answered by the camera. The module's own ACK does not come
 * back through the camera, so health is the camera's: its answers, and heartbeats while idle.
 */
import type { DisplayLine } from '../types'
import { ExchangeError, type Scan } from '../serial/exchange'
import { ProbedDisplay } from '../probed-display'
import { encodePlayVoice, encodeShowText, MAX_LINES } from '../display-led-0x64/protocol-0x64'
import { encodeHeartbeat, encodeSerialSend, packetJson, PacketType, scanPacket, type RS485Port, type VzPacket } from './protocol-vz'

export interface VzenithDisplayOptions {
  id: string
  laneId: string | null
  /** tcp://camera:8131 */
  path: string
  reconnectMs: number
  port: RS485Port
  /** DA of the LED module on the camera's RS-485 bus. */
  address: number
  lines: number
  timeoutMs: number
  probeMs: number
}

/** The camera's answer to a heartbeat (a heartbeat) or to a pass-through command (its JSON). */
export function scanCameraAnswer(buffer: Buffer, wanted: 'heartbeat' | 'ttransmission'): Scan<VzPacket> {
  let consumed = 0
  for (;;) {
    const scan = scanPacket(buffer.subarray(consumed))
    consumed += scan.consumed
    if (!scan.packet) return { reply: null, consumed, crcErrors: 0 }
    if (wanted === 'heartbeat' && scan.packet.type === PacketType.heartbeat) return { reply: scan.packet, consumed, crcErrors: 0 }
    if (wanted === 'ttransmission' && scan.packet.type === PacketType.data && packetJson(scan.packet)?.cmd === 'ttransmission') return { reply: scan.packet, consumed, crcErrors: 0 }
  }
}

export class VzenithRs485Display extends ProbedDisplay {
  private sent = 0

  constructor(private readonly options: VzenithDisplayOptions) {
    super(options, { path: options.path, baudRate: 9600, reconnectMs: options.reconnectMs }, options.timeoutMs, options.probeMs)
  }

  protected probe(): Promise<void> {
    return this.send(encodeHeartbeat(), (buffer) => scanCameraAnswer(buffer, 'heartbeat'), () => undefined)
  }

  /** Encodes every packet first (text GB2312 cannot carry is refused before anything goes out), then sends each. */
  async show(lines: DisplayLine[], voice?: string): Promise<void> {
    const capacity = Math.min(this.options.lines, MAX_LINES)
    this.checkLineCount(lines, capacity)
    const { address } = this.options
    const all = Array.from({ length: capacity }, (_, index) => lines[index] ?? { text: '', colour: 'green' as const })
    const frames = all.map((line, index) => encodeShowText(address, index, line.colour, line.text))
    if (voice) frames.push(encodePlayVoice(address, voice))
    for (const frame of frames) await this.passThrough(frame)
  }

  private passThrough(frame: Buffer): Promise<void> {
    const id = `booth-${++this.sent}`
    return this.send(encodeSerialSend(id, this.options.port, frame), (buffer) => scanCameraAnswer(buffer, 'ttransmission'), (packet) => {
      const answer = packetJson(packet)!
      const code = Number(answer.state_code)
      if (code !== 200) throw new ExchangeError(`camera refused the serial pass-through (state_code ${String(answer.state_code)}${answer.err_msg ? `: ${String(answer.err_msg)}` : ''})`, 'error')
    })
  }
}
