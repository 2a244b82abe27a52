import { DisplayTextError } from './display-led-0x64/protocol-0x64'
import { ExchangeError, type Scan } from './serial/exchange'
import type { LinkOptions } from './serial/link'
import { RequestReplyDevice } from './serial/serial-device'
import type { DeviceIdentity, Display, DisplayLine } from './types'

/** How soon a display that has not answered is probed again. */
const UNANSWERED_PROBE_RETRY_MS = 5_000

/**
 * What the lane displays on a request/reply line share (0x64 LED, Onbon BX, the module behind a Vzenith camera): the
 * health follows the answers, and an idle display is probed every `probeMs` — sooner, every 5 s, while it has not
 * answered (it may boot slower than the booth). The probe's answer, not the line opening, sets the health: reporting
 * "open, no answer yet" as offline would raise a device_offline alarm at every start.
 */
export abstract class ProbedDisplay extends RequestReplyDevice implements Display {
  private readonly probeTimer: NodeJS.Timeout
  private readonly displayId: string
  private lastExchangeAt = 0

  constructor(identity: DeviceIdentity, line: LinkOptions, timeoutMs: number, probeMs: number) {
    super(identity, 'display', line, timeoutMs)
    this.displayId = identity.id
    this.link.on('open', () => void this.probe().catch(() => {}))
    this.connect()
    const retryMs = Math.min(probeMs, UNANSWERED_PROBE_RETRY_MS)
    this.probeTimer = setInterval(() => {
      const quietFor = Date.now() - this.lastExchangeAt
      if (this.link.isOpen && (quietFor >= probeMs || (this.health().status !== 'online' && quietFor >= retryMs))) void this.probe().catch(() => {})
    }, retryMs)
  }

  abstract show(lines: DisplayLine[], voice?: string): Promise<void>

  /** One cheap exchange whose answer (or its absence) keeps the health true. */
  protected abstract probe(): Promise<void>

  /** Refuses more lines than the display has, before anything is sent. */
  protected checkLineCount(lines: readonly DisplayLine[], capacity: number): void {
    if (lines.length > capacity) throw new DisplayTextError(`${lines.length} lines, the display has ${capacity}`)
  }

  /** One request and its answer (`check` throws an ExchangeError for a refusal); a failure names this display. */
  protected async send<R>(bytes: Buffer, scan: (buffer: Buffer) => Scan<R>, check: (reply: R) => void): Promise<void> {
    this.lastExchangeAt = Date.now()
    await this.ask(bytes, scan, check).catch((failure: ExchangeError) => {
      throw new ExchangeError(`display ${this.displayId}: ${failure.message}`, failure.status)
    })
  }

  protected override release(): void {
    clearInterval(this.probeTimer)
  }
}
