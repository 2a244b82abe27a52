import { HealthTracker } from '../health'
import type { Barrier, BarrierSignals, DeviceHealth } from '../types'
import type { CameraBarrier } from './camera-barrier'

/**
 * A 臻识 (Vzenith) camera's own IO output driving the barrier. While a push from this lane's camera waits for its
 * reply, an open is carried by that reply (`Response_AlarmInfoPlate.info` `"ok"`: no round trip of its own). Any
 * other open (a guard's release minutes later, 开闸) goes over the camera's TCP channel (`ioctl`, vzenith-tcp.ts) when
 * the lane names the camera's address (`url: tcp://<camera>:8131`); that channel then also gives the health and the
 * wired inputs. Without an address there is nothing to carry such an open: it fails with the reason, so the guard
 * raises the arm by hand.
 */
export class VzenithReplyBarrier implements Barrier {
  private readonly tracker: HealthTracker
  private readonly listeners = new Set<(signals: BarrierSignals) => void>()
  private current: BarrierSignals = { arm: 'unknown', loopOccupied: null, at: Date.now() }
  /** Pushes from this lane's camera waiting for their reply, oldest first; true once the lane said open. */
  private readonly pending: { open: boolean }[] = []

  constructor(
    id: string,
    laneId: string | null,
    /** The barrier over the camera's TCP channel, or null when the lane gives no address. */
    private readonly channel: CameraBarrier | null = null
  ) {
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
    if (entry) {
      entry.open = true
      if (this.channel) this.channel.acknowledged('up')
      else this.update('up')
      return
    }
    if (this.channel) return this.channel.open()
    throw new Error('臻识摄像机只能在车牌推送的回复中开闸，当前没有待回复的推送（未配置摄像机 TCP 地址）：请人工抬杆')
  }

  async lower(): Promise<void> {
    if (this.channel) return this.channel.lower()
    // The camera's IO output is a pulse; the controller lowers the arm by itself once the truck has passed.
    this.update('down')
  }

  /** The last plate the camera recognised (commissioning), asked over its TCP channel. */
  async lastPlate(): Promise<{ plate: string; at: string } | null> {
    if (!this.channel) throw new Error('未配置摄像机 TCP 地址（tcp://<摄像机>:8131），无法查询最近识别结果')
    return this.channel.lastPlate()
  }

  signals(): BarrierSignals {
    return this.channel ? this.channel.signals() : { ...this.current }
  }

  onSignals(listener: (signals: BarrierSignals) => void): () => void {
    if (this.channel) return this.channel.onSignals(listener)
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  health(): DeviceHealth {
    return this.channel ? this.channel.health() : this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.channel ? this.channel.onHealth(listener) : this.tracker.on(listener)
  }

  async stop(): Promise<void> {
    await this.channel?.stop()
  }

  private update(arm: BarrierSignals['arm']): void {
    if (arm === this.current.arm) return
    this.current = { arm, loopOccupied: null, at: Date.now() }
    for (const listener of this.listeners) listener(this.signals())
  }
}
