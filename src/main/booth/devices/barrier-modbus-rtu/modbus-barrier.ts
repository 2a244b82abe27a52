/**
 * The barrier controller as a Modbus RTU slave (register map in docs/devices.md, configurable per lane): a coil
 * raises the arm, another lowers it; discrete inputs report the arm's limit switches and the loop detector. One
 * request is on the bus at a time; the inputs are polled every `pollMs` and every change goes to `onSignals`.
 */
import type { Barrier, BarrierSignals, DeviceHealth } from '../types'
import { HealthTracker } from '../health'
import { COIL_ON, encodeRequest, FunctionCode, scanReply, type RtuReply, type RtuRequest } from '../modbus/rtu'
import { Exchange, ExchangeError } from '../serial/exchange'
import { SerialLink } from '../serial/link'

export interface BarrierRegisters {
  /** Coil (0-based address) whose ON write raises the arm; the controller resets it itself (pulse). */
  openCoil: number
  /** Coil whose ON write lowers the arm. */
  closeCoil: number
  /** Discrete input: the arm is fully up. */
  armUpInput: number
  /** Discrete input: the arm is fully down. */
  armDownInput: number
  /** Discrete input: the loop detector sees a vehicle; null when the controller has no loop. */
  loopInput: number | null
}

export const defaultRegisters: BarrierRegisters = { openCoil: 0, closeCoil: 1, armUpInput: 0, armDownInput: 1, loopInput: 2 }

export interface ModbusBarrierOptions {
  id: string
  laneId: string | null
  path: string
  baudRate: number
  unitId: number
  /** How long to wait for a reply before the request counts as unanswered. */
  timeoutMs: number
  /** Extra attempts for open/lower after an unanswered or corrupted reply. */
  retries: number
  pollMs: number
  reconnectMs: number
  registers: BarrierRegisters
}


const unknownSignals = (at: number): BarrierSignals => ({ arm: 'unknown', loopOccupied: null, at })

export class ModbusBarrier implements Barrier {
  private readonly link: SerialLink
  private readonly tracker: HealthTracker
  private readonly signalListeners = new Set<(signals: BarrierSignals) => void>()
  private state: BarrierSignals = unknownSignals(Date.now())
  private readonly exchange: Exchange
  private pollTimer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(private readonly options: ModbusBarrierOptions) {
    this.tracker = new HealthTracker(options.id, 'barrier', options.laneId)
    this.link = new SerialLink({ path: options.path, baudRate: options.baudRate, reconnectMs: options.reconnectMs })
    this.exchange = new Exchange(this.link, options.timeoutMs)
    this.link.on('open', () => this.schedulePoll(0))
    this.link.on('down', (reason) => {
      this.tracker.failed('offline', reason)
      this.setSignals(unknownSignals(Date.now()))
    })
    this.link.start()
  }

  open(): Promise<void> {
    return this.command(this.options.registers.openCoil, 'raise the arm')
  }

  lower(): Promise<void> {
    return this.command(this.options.registers.closeCoil, 'lower the arm')
  }

  signals(): BarrierSignals {
    return { ...this.state }
  }

  onSignals(listener: (signals: BarrierSignals) => void): () => void {
    this.signalListeners.add(listener)
    return () => this.signalListeners.delete(listener)
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.pollTimer) clearTimeout(this.pollTimer)
    await this.exchange.stop()
    await this.link.stop()
  }

  private async command(coil: number, what: string): Promise<void> {
    const request: RtuRequest = { unit: this.options.unitId, fn: FunctionCode.writeSingleCoil, address: coil, value: COIL_ON }
    let lastError: ExchangeError | null = null
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      try {
        await this.transact(request)
        return
      } catch (error) {
        lastError = error as ExchangeError
        if (!lastError.retryable) break
      }
    }
    throw new ExchangeError(`barrier ${this.options.id} did not ${what}: ${lastError!.message}`, lastError!.status)
  }

  /** One exchange with the controller; an exception reply is an error the caller sees, and health follows. */
  private async transact(request: RtuRequest): Promise<RtuReply> {
    try {
      const reply = await this.exchange.request(encodeRequest(request), (buffer) => scanReply(buffer, request))
      if (reply.kind === 'exception') throw new ExchangeError(`controller refused: ${reply.text}`, 'error')
      this.tracker.seen()
      return reply
    } catch (error) {
      const failure = error instanceof ExchangeError ? error : new ExchangeError((error as Error).message, 'error')
      if (!this.stopped) this.tracker.failed(failure.status, failure.message)
      throw failure
    }
  }

  private schedulePoll(delay: number): void {
    if (this.stopped) return
    if (this.pollTimer) clearTimeout(this.pollTimer)
    this.pollTimer = setTimeout(() => void this.poll(), delay)
  }

  private async poll(): Promise<void> {
    this.pollTimer = null
    if (this.stopped || !this.link.isOpen) return
    const { armUpInput, armDownInput, loopInput } = this.options.registers
    const inputs = [armUpInput, armDownInput, ...(loopInput === null ? [] : [loopInput])]
    const first = Math.min(...inputs)
    const request: RtuRequest = { unit: this.options.unitId, fn: FunctionCode.readDiscreteInputs, address: first, value: Math.max(...inputs) - first + 1 }
    try {
      const reply = await this.transact(request)
      if (reply.kind === 'bits') {
        const up = reply.bits[armUpInput - first]!
        const down = reply.bits[armDownInput - first]!
        this.setSignals({
          arm: up && !down ? 'up' : down && !up ? 'down' : 'unknown',
          loopOccupied: loopInput === null ? null : reply.bits[loopInput - first]!,
          at: Date.now()
        })
      }
    } catch {
      this.setSignals(unknownSignals(Date.now()))
    }
    this.schedulePoll(this.options.pollMs)
  }

  private setSignals(next: BarrierSignals): void {
    const changed = next.arm !== this.state.arm || next.loopOccupied !== this.state.loopOccupied
    this.state = next
    if (!changed) return
    for (const listener of this.signalListeners) listener({ ...next })
  }
}
