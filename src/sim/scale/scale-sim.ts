/**
 * A weighbridge indicator in XK3190-A9 continuous mode: sends the current weight every `intervalMs`. A truck
 * driving on makes the weight climb over `rampMs` with some wobble, then settle (within ±`noiseKg`).
 */
import { weightFrame } from '../wire/xk3190'

export interface ScaleSimOptions {
  intervalMs: number
  noiseKg: number
}

export class ScaleSim {
  private from = 0
  private target = 0
  private rampStart = 0
  private rampMs = 0
  private timer: NodeJS.Timeout
  silent = false
  frames = 0

  constructor(
    private readonly options: ScaleSimOptions,
    private readonly send: (bytes: Buffer) => void,
    private readonly log: (text: string) => void
  ) {
    this.timer = setInterval(() => this.tick(), options.intervalMs)
  }

  /** The weight now: on the ramp, wobbling, or settled. */
  weight(now = Date.now()): number {
    const progress = this.rampMs === 0 ? 1 : Math.min(1, (now - this.rampStart) / this.rampMs)
    const base = this.from + (this.target - this.from) * progress
    const wobble = progress < 1 ? (Math.random() - 0.5) * 400 : (Math.random() - 0.5) * 2 * this.options.noiseKg
    return Math.max(0, Math.round(base + wobble))
  }

  setWeight(kg: number, rampMs: number): void {
    this.from = this.weight()
    this.target = kg
    this.rampStart = Date.now()
    this.rampMs = rampMs
    this.log(`weight → ${kg} kg over ${rampMs} ms`)
  }

  private tick(): void {
    if (this.silent) return
    this.frames++
    this.send(weightFrame(this.weight()))
  }

  stop(): void {
    clearInterval(this.timer)
  }

  state() {
    return { target: this.target, weight: this.weight(), silent: this.silent, frames: this.frames }
  }
}
