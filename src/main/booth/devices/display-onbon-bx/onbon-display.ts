/**
 * A lane display on an Onbon BX-5/BX-6 controller (protocol-bx.ts): the message's lines go out as dynamic areas in
 * one A3 06 command, stacked top to bottom, the voice as the first area's sound; every command waits for the
 * controller's A0 answer. Idle, the controller is asked for its status (A2 00) so its health stays true.
 */
import type { DisplayLine } from '../types'
import { ExchangeError, type Scan } from '../serial/exchange'
import { ProbedDisplay } from '../probed-display'
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

export class OnbonBxDisplay extends ProbedDisplay {
  constructor(private readonly options: OnbonDisplayOptions) {
    super(options, options, options.timeoutMs, options.probeMs)
  }

  protected probe(): Promise<void> {
    return this.sendFrame(encodeStatusQuery(this.options.screen))
  }

  /** Every line of the display is sent (unused ones blank), so no stale verdict stays up. */
  async show(lines: DisplayLine[], voice?: string): Promise<void> {
    const { lines: capacity, width, height, screen, series } = this.options
    this.checkLineCount(lines, capacity)
    const rowHeight = Math.floor(height / capacity)
    const areas: DynamicArea[] = Array.from({ length: capacity }, (_, index) => ({
      id: index,
      geometry: { x: 0, y: index * rowHeight, width, height: rowHeight },
      colour: lines[index]?.colour ?? 'green',
      text: lines[index]?.text ?? '',
      ...(index === 0 && voice ? { voice } : {})
    }))
    await this.sendFrame(encodeDynamicAreas(screen, areas, series))
  }

  private sendFrame(frame: Buffer): Promise<void> {
    return this.send(frame, (buffer) => scanBxAnswer(buffer, this.options.screen), (data) => {
      const answer = readAnswer(data)
      if (answer && !answer.ok) throw new ExchangeError(`display refused the command (error ${answer.code})`, 'error')
    })
  }
}
