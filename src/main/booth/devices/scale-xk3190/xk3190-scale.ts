/**
 * A weighbridge indicator in XK3190-A9 continuous mode (xk3190.ts): it talks, we listen. Health is online while
 * frames keep coming, offline after `staleMs` of silence or when the port goes away.
 */
import type { DeviceHealth, Scale, WeightReading } from '../types'
import { HealthTracker } from '../health'
import { SerialLink } from '../serial/link'
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

export class Xk3190Scale implements Scale {
  private readonly link: SerialLink
  private readonly tracker: HealthTracker
  private readonly decoder = new WeightFrameDecoder()
  private readonly stability: StabilityDetector
  private readonly listeners = new Set<(reading: WeightReading) => void>()
  private latest: WeightReading | null = null
  private watchdog: NodeJS.Timeout | null = null

  constructor(private readonly options: Xk3190ScaleOptions) {
    this.tracker = new HealthTracker(options.id, 'scale', options.laneId)
    this.stability = new StabilityDetector({ toleranceKg: options.stableToleranceKg, settleMs: options.settleMs })
    this.link = new SerialLink({ path: options.path, baudRate: options.baudRate, reconnectMs: options.reconnectMs })
    this.link.on('data', (bytes) => this.receive(bytes))
    this.link.on('open', () => this.armWatchdog())
    this.link.on('down', (reason) => this.lost(reason))
    this.link.start()
  }

  current(): WeightReading | null {
    return this.latest && { ...this.latest }
  }

  onWeight(listener: (reading: WeightReading) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog)
    this.watchdog = null
    await this.link.stop()
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
