import { ApiFailure } from '../../../core/api/errors'
import { isoOf } from '../../../core/time'

export interface LiveFrame {
  laneId: string
  /** The JPEG, base64; null when the snapshot failed (the camera is offline or refuses). */
  jpegBase64: string | null
  /** ISO-8601 instant the frame was taken (or the snapshot failed). */
  at: string
  error: string | null
}

export interface LiveViewOptions {
  /** The lanes that have a camera, and how to get one frame from it. */
  snapshot(laneId: string): Promise<Uint8Array>
  hasCamera(laneId: string): boolean
  fps(laneId: string): number
  publish(frame: LiveFrame): void
  /** A viewer that does not renew its watch within this time is dropped (a closed window cannot say goodbye). */
  leaseMs?: number
  now?: () => number
}

/** The lane has no camera to watch: the caller asked for something that is not there. */
export class NoCameraError extends ApiFailure {
  override name = 'NoCameraError'
  constructor(message: string) {
    super('not_found', message)
  }
}

interface Pump {
  viewers: Map<string, number>
  timer: NodeJS.Timeout
  inFlight: boolean
  published: number
  dropped: number
}

/**
 * Snapshots at a few frames per second for the lanes someone is watching. One snapshot in flight per lane: a tick
 * that finds the previous one unfinished is dropped, never queued, so a slow camera or consumer costs frames, not
 * memory or latency. Nothing is fetched for a lane nobody watches.
 */
export class LiveView {
  private readonly pumps = new Map<string, Pump>()
  private readonly leaseMs: number
  private readonly now: () => number

  constructor(private readonly options: LiveViewOptions) {
    this.leaseMs = options.leaseMs ?? 10_000
    this.now = options.now ?? Date.now
  }

  /** Starts (or renews) `viewerId`'s watch of a lane; renew before `leaseMs` runs out. */
  watch(laneId: string, viewerId: string): { fps: number; leaseMs: number } {
    if (!this.options.hasCamera(laneId)) throw new NoCameraError(`车道 ${laneId} 没有配置 ONVIF 摄像机`)
    const fps = this.options.fps(laneId)
    const existing = this.pumps.get(laneId)
    if (existing) {
      existing.viewers.set(viewerId, this.now() + this.leaseMs)
      return { fps, leaseMs: this.leaseMs }
    }
    const pump: Pump = { viewers: new Map([[viewerId, this.now() + this.leaseMs]]), inFlight: false, published: 0, dropped: 0, timer: setInterval(() => this.tick(laneId, pump), 1000 / fps) }
    this.pumps.set(laneId, pump)
    this.tick(laneId, pump)
    return { fps, leaseMs: this.leaseMs }
  }

  unwatch(laneId: string, viewerId: string): void {
    const pump = this.pumps.get(laneId)
    if (!pump) return
    pump.viewers.delete(viewerId)
    if (pump.viewers.size === 0) this.end(laneId, pump)
  }

  /** Frames published and ticks dropped (previous snapshot still running) per watched lane. */
  stats(laneId: string): { watchers: number; published: number; dropped: number } | null {
    const pump = this.pumps.get(laneId)
    return pump ? { watchers: pump.viewers.size, published: pump.published, dropped: pump.dropped } : null
  }

  stop(): void {
    for (const [laneId, pump] of this.pumps) this.end(laneId, pump)
  }

  private end(laneId: string, pump: Pump): void {
    clearInterval(pump.timer)
    this.pumps.delete(laneId)
  }

  private tick(laneId: string, pump: Pump): void {
    const now = this.now()
    for (const [viewer, expiresAt] of pump.viewers) if (expiresAt < now) pump.viewers.delete(viewer)
    if (pump.viewers.size === 0) return this.end(laneId, pump)
    if (pump.inFlight) {
      pump.dropped++
      return
    }
    pump.inFlight = true
    this.options
      .snapshot(laneId)
      .then(
        (jpeg) => ({ jpegBase64: Buffer.from(jpeg).toString('base64'), error: null }),
        (error: unknown) => ({ jpegBase64: null, error: (error as Error).message })
      )
      .then((frame) => {
        pump.inFlight = false
        if (this.pumps.get(laneId) !== pump) return
        pump.published++
        this.options.publish({ laneId, at: isoOf(this.now()), ...frame })
      })
  }
}
