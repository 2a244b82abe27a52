import { HealthTracker } from '../health'
import type { Barrier, BarrierSignals, DeviceHealth } from '../types'

/**
 * A 臻识 (Vzenith) camera's own IO output driving the barrier, opened the way these cameras document it: the reply to
 * their plate push, `Response_AlarmInfoPlate.info` `"ok"` (open) or `"no"`. The lane decides while the camera waits
 * for that reply, so an open command during a pending push from this lane's camera is carried by the reply; with no
 * push pending (a guard's release minutes later) there is nothing to carry it, and the open fails with the reason so
 * the guard raises the arm by hand.
 */
export class VzenithReplyBarrier implements Barrier {
  private readonly tracker: HealthTracker
  private readonly listeners = new Set<(signals: BarrierSignals) => void>()
  private current: BarrierSignals = { arm: 'unknown', loopOccupied: null, at: Date.now() }
  /** Pushes from this lane's camera waiting for their reply, oldest first; true once the lane said open. */
  private readonly pending: { open: boolean }[] = []

  constructor(id: string, laneId: string | null) {
    this.tracker = new HealthTracker(id, 'barrier', laneId, '尚未收到摄像机推送')
  }

  /** A push from the lane's camera is being decided; `finish()` says whether its reply opens the barrier. */
  beginReply(): () => boolean {
    const entry = { open: false }
    this.pending.push(entry)
    this.tracker.seen()
    return () => {
      const at = this.pending.indexOf(entry)
      if (at >= 0) this.pending.splice(at, 1)
      return entry.open
    }
  }

  async open(): Promise<void> {
    const entry = this.pending[this.pending.length - 1]
    if (!entry) throw new Error('臻识摄像机只能在车牌推送的回复中开闸，当前没有待回复的推送：请人工抬杆')
    entry.open = true
    this.update('up')
  }

  async lower(): Promise<void> {
    // The camera's IO output is a pulse; the controller lowers the arm by itself once the truck has passed.
    this.update('down')
  }

  signals(): BarrierSignals {
    return { ...this.current }
  }

  onSignals(listener: (signals: BarrierSignals) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {}

  private update(arm: BarrierSignals['arm']): void {
    if (arm === this.current.arm) return
    this.current = { arm, loopOccupied: null, at: Date.now() }
    for (const listener of this.listeners) listener(this.signals())
  }
}
