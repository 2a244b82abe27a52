/**
 * A barrier controller as a Modbus RTU slave, with the physics that matter to the booth: the arm takes `travelMs`
 * to go up or down (both limit switches open meanwhile), the loop detector is occupied while a truck is over it,
 * and the controller will not bring the arm down onto a truck (it waits for the loop to clear). Register map as in
 * docs/devices.md (the adapter's defaults).
 */
import { bitsReply, COIL_OFF_VALUE, COIL_ON_VALUE, exceptionReply, READ_COILS, READ_DISCRETE_INPUTS, SlaveRequestReader, WRITE_SINGLE_COIL, type SlaveRequest } from '../wire/modbus-slave'

export interface BarrierSimOptions {
  unit: number
  travelMs: number
  /** How long a truck driving through occupies the loop. */
  loopMs: number
  /** Drive a truck through each time the arm is fully up (demo mode). */
  autoDrive: boolean
  /** Lower the arm once the loop clears after a truck passed under the raised arm. */
  autoClose: boolean
  now?: () => number
}

const OPEN_COIL = 0
const CLOSE_COIL = 1
const INPUT_COUNT = 8

export class BarrierSim {
  private position = 0
  private motion: { from: number; direction: 1 | -1; at: number } | null = null
  private loopUntil = 0
  private lowerWhenClear = false
  private passedUnderArm = false
  readonly decoder: SlaveRequestReader
  silent = false
  corruptNext = false
  counters = { requests: 0, refused: 0, opens: 0, lowers: 0, trucks: 0, forcedPasses: 0 }
  private timers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly options: BarrierSimOptions,
    private readonly send: (bytes: Buffer) => void,
    private readonly log: (text: string) => void
  ) {
    this.decoder = new SlaveRequestReader(options.unit)
  }

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }

  /** Arm position 0 (down) … 1 (up) at this instant. */
  armPosition(): number {
    if (!this.motion) return this.position
    const { from, direction, at } = this.motion
    const travelled = (this.now() - at) / this.options.travelMs
    const position = Math.min(1, Math.max(0, from + direction * travelled))
    // Only the end the arm travels to stops it: read in the millisecond a motion starts, the arm is still at the
    // end it leaves, and taking that for arrival would freeze it there (an open obeyed, the arm never up).
    if (position === (direction === 1 ? 1 : 0)) {
      this.position = position
      this.motion = null
    }
    return position
  }

  loopOccupied(): boolean {
    return this.now() < this.loopUntil
  }

  inputs(): boolean[] {
    const position = this.armPosition()
    const bits = new Array<boolean>(INPUT_COUNT).fill(false)
    bits[0] = position === 1
    bits[1] = position === 0
    bits[2] = this.loopOccupied()
    return bits
  }

  receive(bytes: Buffer): void {
    for (const request of this.decoder.push(bytes)) {
      // A silent controller is a dead one: it neither acts nor answers.
      if (this.silent) continue
      this.counters.requests++
      const reply = this.handle(request)
      if (reply[1]! & 0x80) this.counters.refused++
      if (this.corruptNext) {
        this.corruptNext = false
        reply[reply.length - 1]! ^= 0xff
        this.log('sending a reply with a wrong CRC')
      }
      this.send(reply)
    }
  }

  private handle(request: SlaveRequest): Buffer {
    const { unit, fn, address, value } = request
    if (fn === READ_DISCRETE_INPUTS) {
      if (value < 1 || address + value > INPUT_COUNT) return exceptionReply(unit, fn, 0x02)
      return bitsReply(unit, fn, this.inputs().slice(address, address + value))
    }
    if (fn === READ_COILS) {
      if (value < 1 || address + value > 2) return exceptionReply(unit, fn, 0x02)
      return bitsReply(unit, fn, new Array<boolean>(value).fill(false))
    }
    if (fn === WRITE_SINGLE_COIL) {
      if (address !== OPEN_COIL && address !== CLOSE_COIL) return exceptionReply(unit, fn, 0x02)
      if (value !== COIL_ON_VALUE && value !== COIL_OFF_VALUE) return exceptionReply(unit, fn, 0x03)
      if (value === COIL_ON_VALUE) {
        if (address === OPEN_COIL) this.raise()
        else this.lower()
      }
      return Buffer.from(request.raw)
    }
    return exceptionReply(unit, fn, 0x01)
  }

  raise(): void {
    this.counters.opens++
    this.lowerWhenClear = false
    this.move(1)
    this.log('open: raising the arm')
  }

  lower(): void {
    this.counters.lowers++
    if (this.loopOccupied()) {
      this.lowerWhenClear = true
      this.log('lower: loop occupied, waiting for it to clear')
      return
    }
    this.move(-1)
    this.log('lower: lowering the arm')
  }

  private move(direction: 1 | -1): void {
    const from = this.armPosition()
    if ((direction === 1 && from === 1) || (direction === -1 && from === 0)) return
    this.motion = { from, direction, at: this.now() }
    if (direction === 1 && this.options.autoDrive) {
      const remaining = (1 - from) * this.options.travelMs
      this.later(remaining + 200, () => {
        if (this.armPosition() === 1) this.truck(false)
      })
    }
  }

  /** A truck over the loop for `loopMs`: under the raised arm (a pass) or with the arm down (`forced`). */
  truck(forced: boolean, loopMs = this.options.loopMs): void {
    const underArm = this.armPosition() === 1
    if (forced) this.counters.forcedPasses++
    else this.counters.trucks++
    this.passedUnderArm = underArm
    this.loopUntil = this.now() + loopMs
    this.log(`${forced ? 'forced pass' : 'truck'}: loop occupied for ${loopMs} ms (arm ${underArm ? 'up' : 'not up'})`)
    this.later(loopMs + 1, () => this.loopCleared())
  }

  private loopCleared(): void {
    if (this.loopOccupied()) return
    this.log('loop clear')
    if (this.lowerWhenClear || (this.options.autoClose && this.passedUnderArm)) {
      this.lowerWhenClear = false
      this.passedUnderArm = false
      this.move(-1)
      this.log('lowering the arm after the truck')
    }
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      run()
    }, ms)
    this.timers.add(timer)
  }

  stop(): void {
    this.timers.forEach(clearTimeout)
  }

  state() {
    const position = this.armPosition()
    return {
      arm: position === 1 ? 'up' : position === 0 ? 'down' : 'moving',
      position,
      loopOccupied: this.loopOccupied(),
      silent: this.silent,
      ...this.counters,
      crcErrors: this.decoder.crcErrors,
      discarded: this.decoder.discarded
    }
  }
}
