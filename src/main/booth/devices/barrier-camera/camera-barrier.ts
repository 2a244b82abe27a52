import { HealthTracker } from '../health'
import { HttpAuthError } from '../camera'
import type { Barrier, BarrierSignals, DeviceHealth } from '../types'
import { CameraCommandError, type CameraBarrierApi } from './api'

export interface CameraBarrierInputs {
  /** The loop detector (or the camera's radar output) wired to this alarm input; null: none. */
  loop: number | null
  /** The arm's limit switches, where wired; without them the arm is where our last acknowledged command put it. */
  armUp: number | null
  armDown: number | null
}

export interface CameraBarrierOptions {
  id: string
  laneId: string | null
  api: CameraBarrierApi
  inputs: CameraBarrierInputs
  /** How often the wired inputs are read; without inputs, how often the camera is probed. */
  pollMs: number
  /** Why the camera cannot be used at all (its password variable is not set), or null. */
  unusable?: string | null
}

/** A camera's error in words for the guard and the technician (the lane shows it in 道闸未响应（…）). */
export function describeCameraBarrierError(error: unknown): { status: 'offline' | 'error'; message: string } {
  if (error instanceof HttpAuthError) return { status: 'error', message: '摄像机拒绝认证：用户名或密码错误' }
  if (error instanceof CameraCommandError) return { status: 'error', message: error.message }
  const cause = (error as { cause?: { code?: string } }).cause?.code
  const name = (error as Error).name
  if (name === 'TimeoutError' || name === 'AbortError') return { status: 'offline', message: '摄像机无应答（超时）' }
  return { status: 'offline', message: `摄像机无法连接（${cause ?? (error as Error).message}）` }
}

/**
 * The barrier a lane's camera drives (the usual Chinese wiring: the barrier controller on the camera's relay, or the
 * camera's own barrier API). Signals come from the camera's alarm inputs where they are wired; a camera without arm
 * inputs reports the arm where the last acknowledged command put it (so an open the camera accepted counts as raised,
 * as for a controller without a loop input), and `loopOccupied: null` without a loop input.
 */
export class CameraBarrier implements Barrier {
  private readonly health_: HealthTracker
  private readonly listeners = new Set<(signals: BarrierSignals) => void>()
  private current: BarrierSignals
  private commandedArm: BarrierSignals['arm'] = 'unknown'
  private timer: NodeJS.Timeout | null = null
  private polling = false
  private stopped = false

  constructor(private readonly options: CameraBarrierOptions) {
    this.health_ = new HealthTracker(options.id, 'barrier', options.laneId, '尚未连接摄像机')
    this.current = { arm: 'unknown', loopOccupied: null, at: Date.now() }
    if (options.unusable) this.health_.failed('error', options.unusable)
    else this.schedule(0)
  }

  health(): DeviceHealth {
    return this.health_.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.health_.on(listener)
  }

  signals(): BarrierSignals {
    return { ...this.current }
  }

  onSignals(listener: (signals: BarrierSignals) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  open(): Promise<void> {
    return this.command('up', () => this.options.api.open())
  }

  lower(): Promise<void> {
    return this.command('down', () => this.options.api.lower())
  }

  /** The camera opened through another path it offers (a 臻识 camera's reply to its own push): the arm is raised as if commanded. */
  acknowledged(arm: 'up' | 'down'): void {
    this.health_.seen()
    if (this.hasArmInputs) return
    this.commandedArm = arm
    this.update({ arm, loopOccupied: this.current.loopOccupied })
  }

  /** The camera's last recognised plate (commissioning); null when it has none, an error when its API has no such call. */
  async lastPlate(): Promise<{ plate: string; at: string } | null> {
    if (!this.options.api.lastPlate) throw new Error('该品牌摄像机的接口不提供车牌记录查询')
    return this.options.api.lastPlate()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.options.api.close?.()
  }

  private get hasArmInputs(): boolean {
    return this.options.inputs.armUp !== null || this.options.inputs.armDown !== null
  }

  private async command(arm: 'up' | 'down', send: () => Promise<void>): Promise<void> {
    if (this.options.unusable) throw new Error(this.options.unusable)
    try {
      await send()
    } catch (error) {
      const { status, message } = describeCameraBarrierError(error)
      this.health_.failed(status, message)
      throw new Error(message)
    }
    this.health_.seen()
    if (!this.hasArmInputs) {
      this.commandedArm = arm
      this.update({ arm, loopOccupied: this.current.loopOccupied })
    }
  }

  private update(next: { arm: BarrierSignals['arm']; loopOccupied: boolean | null }): void {
    if (next.arm === this.current.arm && next.loopOccupied === this.current.loopOccupied) return
    this.current = { ...next, at: Date.now() }
    for (const listener of this.listeners) listener(this.signals())
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.poll(), delayMs)
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return
    this.polling = true
    const { loop, armUp, armDown } = this.options.inputs
    const wired = [loop, armUp, armDown].filter((input): input is number => input !== null)
    try {
      if (wired.length === 0) {
        await this.options.api.probe()
      } else {
        const states = await this.options.api.inputs([...new Set(wired)])
        const up = armUp === null ? null : states.get(armUp)!
        const down = armDown === null ? null : states.get(armDown)!
        const arm = !this.hasArmInputs ? this.commandedArm : up === true && down !== true ? 'up' : down === true && up !== true ? 'down' : up === null ? (down ? 'down' : 'up') : down === null ? (up ? 'up' : 'down') : 'unknown'
        this.update({ arm, loopOccupied: loop === null ? null : states.get(loop)! })
      }
      this.health_.seen()
    } catch (error) {
      if (!this.stopped) {
        const { status, message } = describeCameraBarrierError(error)
        this.health_.failed(status, message)
        // Silence is not "arm down": the lane must not take it for one.
        this.update({ arm: 'unknown', loopOccupied: null })
      }
    } finally {
      this.polling = false
      this.schedule(wired.length === 0 ? Math.max(this.options.pollMs, 5_000) : this.options.pollMs)
    }
  }
}
