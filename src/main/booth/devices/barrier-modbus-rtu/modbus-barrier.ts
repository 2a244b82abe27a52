/**
 * The barrier controller as a Modbus RTU slave (register map in docs/devices.md, configurable per lane): a coil
 * raises the arm, another lowers it; discrete inputs report the arm's limit switches and the loop detector. One
 * request is on the bus at a time; the inputs are polled every `pollMs` and every change goes to `onSignals`.
 */
import type { Barrier, BarrierSignals } from '../types'
import { COIL_ON, encodeRequest, FunctionCode, scanReply, type RtuReply, type RtuRequest } from '../modbus/rtu'
import { ExchangeError } from '../serial/exchange'
import { RequestReplyDevice } from '../serial/serial-device'

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

export class ModbusBarrier extends RequestReplyDevice implements Barrier {
  private readonly signalListeners = new Set<(signals: BarrierSignals) => void>()
  private state: BarrierSignals = unknownSignals(Date.now())
  private pollTimer: NodeJS.Timeout | null = null

  constructor(private readonly options: ModbusBarrierOptions) {
    super(options, 'barrier', options, options.timeoutMs)
    this.link.on('open', () => this.schedulePoll(0))
    this.link.on('down', () => this.setSignals(unknownSignals(Date.now())))
    this.connect()
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

  protected override release(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer)
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
  private transact(request: RtuRequest): Promise<RtuReply> {
    return this.ask(encodeRequest(request), (buffer) => scanReply(buffer, request), (reply) => {
      if (reply.kind === 'exception') throw new ExchangeError(`controller refused: ${reply.text}`, 'error')
      return reply
    })
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
