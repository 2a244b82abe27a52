import { describe, expect, it } from 'vitest'
import { COIL_ON, encodeRequest, FunctionCode, scanReply, type RtuRequest } from '../../src/main/booth/devices/modbus/rtu'
import { BarrierSim } from '../../src/sim/barrier/barrier-sim'

/**
 * The barrier simulator's arm, on a clock the test moves: the requests and replies are the real Modbus frames the
 * booth exchanges with it over the pty.
 */
const TRAVEL_MS = 100
const readInputs: RtuRequest = { unit: 1, fn: FunctionCode.readDiscreteInputs, address: 0, value: 3 }
const writeCoil = (address: number): RtuRequest => ({ unit: 1, fn: FunctionCode.writeSingleCoil, address, value: COIL_ON })

function simulator() {
  let now = 1_000_000
  const sent: Buffer[] = []
  const sim = new BarrierSim({ unit: 1, travelMs: TRAVEL_MS, loopMs: 200, autoDrive: false, autoClose: true, now: () => now }, (bytes) => sent.push(bytes), () => {})
  /** The limit switches as the booth polls them: up, down. */
  const limitSwitches = () => {
    sim.receive(encodeRequest(readInputs))
    const reply = scanReply(sent.at(-1)!, readInputs).reply
    if (reply?.kind !== 'bits') throw new Error(`no inputs reply: ${JSON.stringify(reply)}`)
    return { up: reply.bits[0], down: reply.bits[1] }
  }
  return {
    sim,
    limitSwitches,
    command: (address: number) => sim.receive(encodeRequest(writeCoil(address))),
    advance: (ms: number) => (now += ms)
  }
}

describe('barrier simulator arm', () => {
  it('an open read back in the same millisecond still raises the arm all the way (the read does not stop it)', () => {
    const { sim, limitSwitches, command, advance } = simulator()
    command(0)
    expect(sim.state()).toMatchObject({ opens: 1, arm: 'down' })
    expect(limitSwitches()).toEqual({ up: false, down: true })
    advance(TRAVEL_MS / 2)
    expect(limitSwitches()).toEqual({ up: false, down: false })
    expect(sim.state().arm).toBe('moving')
    advance(TRAVEL_MS / 2)
    expect(limitSwitches()).toEqual({ up: true, down: false })
    expect(sim.state().arm).toBe('up')
  })

  it('a lower read back in the same millisecond still brings the arm all the way down', () => {
    const { sim, limitSwitches, command, advance } = simulator()
    command(0)
    advance(TRAVEL_MS)
    expect(sim.state().arm).toBe('up')
    command(1)
    expect(sim.state()).toMatchObject({ lowers: 1, arm: 'up' })
    advance(TRAVEL_MS / 2)
    expect(sim.state().arm).toBe('moving')
    advance(TRAVEL_MS / 2)
    expect(limitSwitches()).toEqual({ up: false, down: true })
    expect(sim.state().arm).toBe('down')
  })
})
