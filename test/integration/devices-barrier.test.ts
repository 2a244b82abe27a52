/**
 * The Modbus barrier adapter against the barrier-controller simulator in its own process, over a real pty pair
 * from socat: commands, polled signals, garbage and wrong CRCs on the line, a controller that stops answering, and
 * the USB adapter unplugged and plugged back (socat killed, a new one on the same link paths).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ModbusBarrier, defaultRegisters } from '../../src/main/booth/devices/barrier-modbus-rtu/modbus-barrier'
import type { BarrierSignals, DeviceHealth } from '../../src/main/booth/devices'
import { eventually, stopProcess, type RunningProcess } from './support'
import { ptyLinks, simControl, simState, startPtyPair, startSerialSim, type PtyPair } from './serial-support'

let pty: PtyPair | undefined
let sim: RunningProcess | undefined
let barrier: ModbusBarrier | undefined

afterEach(async () => {
  await barrier?.stop()
  await stopProcess(sim)
  await pty?.stop()
  barrier = sim = pty = undefined
})

async function setUp(options: { links?: { booth: string; device: string }; retries?: number; registers?: typeof defaultRegisters } = {}) {
  pty = await startPtyPair(options.links)
  sim = await startSerialSim('barrier', pty.device, ['--travel-ms', '300', '--loop-ms', '400'])
  barrier = new ModbusBarrier({
    id: 'in1/barrier',
    laneId: 'in1',
    path: pty.booth,
    baudRate: 9600,
    unitId: 1,
    timeoutMs: 600,
    retries: options.retries ?? 1,
    pollMs: 40,
    reconnectMs: 100,
    registers: options.registers ?? defaultRegisters
  })
  const signals: BarrierSignals[] = []
  const health: DeviceHealth[] = []
  barrier.onSignals((s) => signals.push(s))
  barrier.onHealth((h) => health.push(h))
  await eventually('barrier online with the arm down', () => (barrier!.signals().arm === 'down' ? true : undefined))
  return { barrier, sim: sim!, signals, health }
}

const armHistory = (signals: BarrierSignals[]) => signals.map((s) => s.arm).filter((arm, i, all) => arm !== all[i - 1])

describe('Modbus RTU barrier over a pty', () => {
  it('raises the arm, sees a truck on the loop, and the arm comes down after it', async () => {
    const { barrier, sim, signals } = await setUp()
    expect(barrier.health()).toMatchObject({ status: 'online', error: null, kind: 'barrier', laneId: 'in1' })

    await barrier.open()
    await eventually('arm up', () => (barrier.signals().arm === 'up' ? true : undefined))
    await simControl(sim, 'truck')
    await eventually('loop occupied', () => (barrier.signals().loopOccupied ? true : undefined))
    await eventually('arm down after the truck', () => (barrier.signals().arm === 'down' && !barrier.signals().loopOccupied ? true : undefined))

    // In order: down → moving → up → (truck) → moving → down; the loop went true and back to false.
    expect(armHistory(signals).slice(-5)).toEqual(['down', 'unknown', 'up', 'unknown', 'down'])
    const loop = signals.map((s) => s.loopOccupied).filter((v, i, all) => v !== all[i - 1])
    expect(loop).toContain(true)
    expect(loop.at(-1)).toBe(false)
    expect(await simState(sim)).toMatchObject({ opens: 1, trucks: 1, arm: 'down' })
  })

  it('lowers on command, and a forced pass shows as the loop occupied while the arm stays down', async () => {
    const { barrier, sim, signals } = await setUp()
    await barrier.open()
    await eventually('arm up', () => (barrier.signals().arm === 'up' ? true : undefined))
    await barrier.lower()
    await eventually('arm down', () => (barrier.signals().arm === 'down' ? true : undefined))
    signals.length = 0
    await simControl(sim, 'force-pass')
    await eventually('loop occupied', () => (barrier.signals().loopOccupied ? true : undefined))
    expect(signals.find((s) => s.loopOccupied)).toMatchObject({ arm: 'down', loopOccupied: true })
  })

  it('finds its replies through garbage bytes and a reply with a wrong CRC, and the command still lands', async () => {
    const { barrier, sim } = await setUp()
    await simControl(sim, 'garbage', { hex: '01 05 00 00 FF 00 00 00 13 37 01 02' })
    await simControl(sim, 'garbage', { count: 64 })
    await simControl(sim, 'corrupt-next')
    // The next exchange (a poll or the open) gets a corrupted reply; the adapter rejects it and asks again.
    await barrier.open()
    await eventually('arm up', () => (barrier.signals().arm === 'up' ? true : undefined))
    expect(barrier.health().status).toBe('online')
    expect((await simState(sim)).opens).toBeGreaterThanOrEqual(1)
  })

  it('reports a wrong CRC as an error when it cannot retry, and loses no later command', async () => {
    const { barrier, sim, health } = await setUp({ retries: 0 })
    await simControl(sim, 'silent', { on: true })
    await eventually('offline while silent', () => (barrier.health().status === 'offline' ? true : undefined))
    await simControl(sim, 'silent', { on: false })
    await simControl(sim, 'corrupt-next')
    // Polls are running too: whichever exchange got the corrupted reply reports it, then the line recovers.
    await eventually('a CRC error reported', () => (health.some((h) => h.status === 'error' && /CRC/.test(h.error ?? '')) ? true : undefined))
    await barrier.open()
    await eventually('arm up', () => (barrier.signals().arm === 'up' ? true : undefined))
    expect(barrier.health()).toMatchObject({ status: 'online', error: null })
  })

  it('a refused command (exception reply) fails at once with the reason and is not retried', async () => {
    const { barrier, sim } = await setUp({ registers: { ...defaultRegisters, openCoil: 7 } })
    await expect(barrier.open()).rejects.toThrow('barrier in1/barrier did not raise the arm: controller refused: illegal data address')
    expect(barrier.health()).toMatchObject({ status: 'error', error: 'controller refused: illegal data address' })
    expect(await simState(sim)).toMatchObject({ arm: 'down', refused: 1 })
    // The polls still answer: the controller is there, only that coil is wrong.
    await eventually('online again', () => (barrier.health().status === 'online' ? true : undefined))
  })

  it('a controller that stops answering: open() rejects, health goes offline, signals unknown; all recover', async () => {
    const { barrier, sim, health } = await setUp()
    await simControl(sim, 'silent', { on: true })
    await expect(barrier.open()).rejects.toThrow(/did not raise the arm: no answer within 600 ms/)
    expect(barrier.health()).toMatchObject({ status: 'offline', error: 'no answer within 600 ms' })
    expect(barrier.signals()).toMatchObject({ arm: 'unknown', loopOccupied: null })
    const lastSeen = barrier.health().lastSeenAt
    expect(lastSeen).not.toBeNull()

    await simControl(sim, 'silent', { on: false })
    await eventually('online again', () => (barrier.health().status === 'online' ? true : undefined))
    expect(barrier.health().lastSeenAt!).toBeGreaterThan(lastSeen!)
    await eventually('arm known again', () => (barrier.signals().arm === 'down' ? true : undefined))
    expect(health.map((h) => h.status)).toEqual(expect.arrayContaining(['online', 'offline']))
  })

  it('a late echo of a lower on the line is not taken as the answer to an open: open() fails, nothing raised', async () => {
    const { barrier, sim } = await setUp()
    await simControl(sim, 'silent', { on: true })
    // The controller's echo of a lower (coil 1), as when a lower's reply comes late, over and over while the open waits.
    const lowerEcho = '01 05 00 01 FF 00 DD FA'
    const open = barrier.open().then(
      () => 'acknowledged',
      (error: Error) => error.message
    )
    let settled = false
    void open.then(() => (settled = true))
    while (!settled) {
      await simControl(sim, 'garbage', { hex: lowerEcho })
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(await open).toMatch(/did not raise the arm: no answer within 600 ms/)
    expect(await simState(sim)).toMatchObject({ opens: 0, arm: 'down' })
  })

  it('the pty disappears (adapter unplugged) and comes back: offline, then online and obeying again', async () => {
    const links = ptyLinks('barrier')
    const { barrier, sim } = await setUp({ links })
    await pty!.stop()
    await eventually('offline after unplug', () => (barrier.health().status === 'offline' ? true : undefined))
    await expect(barrier.open()).rejects.toThrow(/not open|went away|no answer/)
    expect(barrier.signals().arm).toBe('unknown')

    pty = await startPtyPair(links)
    await eventually('online after plug-in', () => (barrier.health().status === 'online' ? true : undefined))
    await barrier.open()
    await eventually('arm up', () => (barrier.signals().arm === 'up' ? true : undefined))
    expect((await simState(sim)).opens).toBe(1)
  })
})
