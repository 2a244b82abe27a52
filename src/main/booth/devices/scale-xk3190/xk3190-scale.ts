/**
 * A weighbridge indicator in XK3190-A9 continuous mode (xk3190.ts): it talks, we listen. Health is online while
 * frames keep coming, offline after `staleMs` of silence or when the port goes away.
 */
import type { Scale, WeightReading } from '../types'
import { SerialDevice } from '../serial/serial-device'
import { StabilityDetector, WeightFrameDecoder } from './xk3190'

export interface Xk3190ScaleOptions {
  id: string
  laneId: string | null
  path: string
  baudRate: number
  reconnectMs: number
  /** Readings within this many kg of each other … */
  stableToleranceKg: number
  /** … for this long make a stable weight. */
  settleMs: number
  /** Silence after which the indicator counts as offline. */
  staleMs: number
}

export class Xk3190Scale extends SerialDevice implements Scale {
  private readonly decoder = new WeightFrameDecoder()
  private readonly stability: StabilityDetector
  private readonly listeners = new Set<(reading: WeightReading) => void>()
  private latest: WeightReading | null = null
  private watchdog: NodeJS.Timeout | null = null

  constructor(private readonly options: Xk3190ScaleOptions) {
    super(options, 'scale', options)
    this.stability = new StabilityDetector({ toleranceKg: options.stableToleranceKg, settleMs: options.settleMs })
    this.link.on('data', (bytes) => this.receive(bytes))
    this.link.on('open', () => this.armWatchdog())
    this.link.on('down', (reason) => this.lost(reason))
    this.connect()
  }

  current(): WeightReading | null {
    return this.latest && { ...this.latest }
  }

  onWeight(listener: (reading: WeightReading) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  protected override release(): void {
    if (this.watchdog) clearTimeout(this.watchdog)
    this.watchdog = null
  }

  private receive(bytes: Buffer): void {
    const checksumErrors = this.decoder.checksumErrors
    const weights = this.decoder.push(bytes)
    if (weights.length === 0) {
      if (this.decoder.checksumErrors > checksumErrors) this.tracker.failed('error', 'weight frames fail their XOR check')
      return
    }
    this.armWatchdog()
    for (const kg of weights) {
      const reading = this.stability.add(kg, Date.now())
      this.latest = reading
      this.tracker.seen(reading.at)
      for (const listener of this.listeners) listener({ ...reading })
    }
  }

  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog)
    this.watchdog = setTimeout(() => this.lost(`no weight frame for ${this.options.staleMs} ms`), this.options.staleMs)
  }

  private lost(reason: string): void {
    this.tracker.failed('offline', reason)
    this.stability.reset()
    this.latest = null
  }
}
