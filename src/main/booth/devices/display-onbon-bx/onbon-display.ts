/**
 * A lane display on an Onbon BX-5/BX-6 controller (protocol-bx.ts): the message's lines go out as dynamic areas in
 * one A3 06 command, stacked top to bottom, the voice as the first area's sound; every command waits for the
 * controller's A0 answer. Idle, the controller is asked for its status (A2 00) so its health stays true.
 */
import type { Display, DisplayLine } from '../types'
import { ExchangeError, type Scan } from '../serial/exchange'
import { RequestReplyDevice } from '../serial/serial-device'
import { DisplayTextError } from '../display-led-0x64/protocol-0x64'
import { encodeDynamicAreas, encodeStatusQuery, PC_ADDRESS, readAnswer, scanFrame, type BxSeries, type DynamicArea } from './protocol-bx'

export interface OnbonDisplayOptions {
  id: string
  laneId: string | null
  path: string
  baudRate: number
  reconnectMs: number
  /** The controller's screen address (set in Onbon's LedshowTW / BX tool). */
  screen: number
  series: BxSeries
  /** The panel in pixels, as configured in the controller. */
  width: number
  height: number
  /** Text lines: the panel is split into this many areas of equal height. */
  lines: number
  timeoutMs: number
  probeMs: number
}

/** Finds the controller's answer: a frame from `screen` to the PC whose data starts with A0. */
export function scanBxAnswer(buffer: Buffer, screen: number): Scan<Buffer> {
  let consumed = 0
  let crcErrors = 0
  for (;;) {
    const scan = scanFrame(buffer.subarray(consumed))
    crcErrors += scan.crcErrors
    consumed += scan.consumed
    if (!scan.frame) return { reply: null, consumed, crcErrors }
    const { source, destination, data } = scan.frame
    if (source === screen && destination === PC_ADDRESS && data[0] === 0xa0) return { reply: data, consumed, crcErrors }
  }
}

const UNANSWERED_PROBE_RETRY_MS = 5_000

export class OnbonBxDisplay extends RequestReplyDevice implements Display {
  private probeTimer: NodeJS.Timeout | null = null
  private lastExchangeAt = 0

  constructor(private readonly options: OnbonDisplayOptions) {
    super(options, 'display', options, options.timeoutMs)
    this.link.on('open', () => void this.probe())
    this.connect()
    const retryMs = Math.min(options.probeMs, UNANSWERED_PROBE_RETRY_MS)
    this.probeTimer = setInterval(() => {
      const quietFor = Date.now() - this.lastExchangeAt
      if (this.link.isOpen && (quietFor >= options.probeMs || (this.health().status !== 'online' && quietFor >= retryMs))) void this.probe()
    }, retryMs)
  }

  private async probe(): Promise<void> {
    await this.send(encodeStatusQuery(this.options.screen)).catch(() => {})
  }

  /** Every line of the display is sent (unused ones blank), so no stale verdict stays up. */
  async show(lines: DisplayLine[], voice?: string): Promise<void> {
    const { lines: capacity, width, height, screen, series } = this.options
    if (lines.length > capacity) throw new DisplayTextError(`${lines.length} lines, the display has ${capacity}`)
    const rowHeight = Math.floor(height / capacity)
    const areas: DynamicArea[] = Array.from({ length: capacity }, (_, index) => ({
      id: index,
      geometry: { x: 0, y: index * rowHeight, width, height: rowHeight },
      colour: lines[index]?.colour ?? 'green',
      text: lines[index]?.text ?? '',
      ...(index === 0 && voice ? { voice } : {})
    }))
    await this.send(encodeDynamicAreas(screen, areas, series))
  }

  protected override release(): void {
    if (this.probeTimer) clearInterval(this.probeTimer)
  }

  private async send(frame: Buffer): Promise<void> {
    this.lastExchangeAt = Date.now()
    await this.ask(frame, (buffer) => scanBxAnswer(buffer, this.options.screen), (data) => {
      const answer = readAnswer(data)
      if (answer && !answer.ok) throw new ExchangeError(`display refused the command (error ${answer.code})`, 'error')
    }).catch((failure: ExchangeError) => {
      throw new ExchangeError(`display ${this.options.id}: ${failure.message}`, failure.status)
    })
  }
}
