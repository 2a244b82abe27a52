/**
 * The LED display and weighbridge adapters against their simulators in their own processes, over real ptys (and
 * once over the TCP transport an RS485-to-Ethernet converter gives).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DisplayTextError, type WeightReading } from '../../src/main/booth/devices'
import { LedDisplay } from '../../src/main/booth/devices/display-led-0x64/led-display'
import { Xk3190Scale } from '../../src/main/booth/devices/scale-xk3190/xk3190-scale'
import { eventually, stopProcess, type RunningProcess } from './support'
import { ptyLinks, simControl, simSerialUrl, simState, startPtyPair, startSerialSim, type PtyPair } from './serial-support'

let pty: PtyPair | undefined
let sim: RunningProcess | undefined
let device: { stop(): Promise<void> } | undefined

afterEach(async () => {
  await device?.stop()
  await stopProcess(sim)
  await pty?.stop()
  device = sim = pty = undefined
})

function led(path: string, password = '000000'): LedDisplay {
  const display = new LedDisplay({ id: 'in1/display', laneId: 'in1', path, baudRate: 9600, address: 0, timeoutMs: 1000, reconnectMs: 100, password, probeMs: 60_000, lines: 4 })
  device = display
  return display
}

describe('LED display (0x64 protocol) over a pty', () => {
  it('shows coloured lines and speaks: the simulator decodes exactly what was sent', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('led', pty.device)
    const display = led(pty.booth)
    await eventually('display online (probe answered)', () => (display.health().status === 'online' ? true : undefined))
    await display.show(
      [
        { text: '豫A12345', colour: 'green' },
        { text: '允许通行', colour: 'green' },
        { text: '国五 柴油', colour: 'yellow' },
        { text: '请减速慢行', colour: 'red' }
      ],
      '豫A12345,请通行'
    )
    const state = await simState(sim)
    expect(state.lines.map((line: any) => [line.text, line.colour])).toEqual([
      ['豫A12345', 'green'],
      ['允许通行', 'green'],
      ['国五 柴油', 'yellow'],
      ['请减速慢行', 'red']
    ])
    expect(state.voice).toEqual(['豫A12345,请通行'])
    expect(sim.output()).toContain('led-sim show line 2 [green] 允许通行')
    expect(display.health()).toMatchObject({ status: 'online', error: null, kind: 'display' })

    // The next truck's message has one line: the rest of the old verdict must not stay up.
    await display.show([{ text: '豫B67890 禁止通行', colour: 'red' }])
    expect((await simState(sim)).lines).toEqual([{ text: '豫B67890 禁止通行', colour: 'red', rgba: [255, 0, 0, 0] }, null, null, null])
  })

  it('refuses text GB2312 cannot carry before sending anything: the display keeps what it showed', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('led', pty.device)
    const display = led(pty.booth)
    await eventually('display online (probe answered)', () => (display.health().status === 'online' ? true : undefined))
    await display.show([{ text: '欢迎光临', colour: 'green' }])
    await expect(display.show([{ text: '第一行', colour: 'red' }, { text: 'ok 👍', colour: 'red' }])).rejects.toThrow(DisplayTextError)
    const state = await simState(sim)
    expect(state.lines[0]).toMatchObject({ text: '欢迎光临', colour: 'green' })
    expect(state.lines.slice(1)).toEqual([null, null, null])
  })

  it('gets through garbage and a corrupted ACK; a silent display makes show() fail and health offline', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('led', pty.device)
    const display = led(pty.booth)
    await eventually('display online (probe answered)', () => (display.health().status === 'online' ? true : undefined))
    await simControl(sim, 'garbage', { hex: '00 64 FF FF 62 01' })
    await display.show([{ text: '噪声之后', colour: 'yellow' }])
    expect((await simState(sim)).lines[0].text).toBe('噪声之后')

    await simControl(sim, 'corrupt-next')
    await expect(display.show([{ text: '坏校验', colour: 'red' }])).rejects.toThrow(/CRC check/)
    expect(display.health()).toMatchObject({ status: 'error' })

    await simControl(sim, 'silent', { on: true })
    await expect(display.show([{ text: '无人应答', colour: 'red' }])).rejects.toThrow(/no answer within 1000 ms/)
    expect(display.health()).toMatchObject({ status: 'offline', error: 'no answer within 1000 ms' })
    await simControl(sim, 'silent', { on: false })
    await display.show([{ text: '恢复', colour: 'green' }])
    expect(display.health().status).toBe('online')
    expect((await simState(sim)).lines[0].text).toBe('恢复')
  })

  it('comes back after the pty disappears and reappears', async () => {
    const links = ptyLinks('led')
    pty = await startPtyPair(links)
    sim = await startSerialSim('led', links.device)
    const display = led(links.booth)
    await eventually('display online (probe answered)', () => (display.health().status === 'online' ? true : undefined))
    await display.show([{ text: '拔出之前', colour: 'green' }])
    await pty.stop()
    await eventually('offline', () => (display.health().status === 'offline' && /disconnected|cannot open/.test(display.health().error ?? '') ? true : undefined))
    await expect(display.show([{ text: '拔出期间', colour: 'red' }])).rejects.toThrow(/not open|went away/)
    pty = await startPtyPair(links)
    await eventually('shown after replug', async () => {
      try {
        await display.show([{ text: '插回之后', colour: 'green' }])
        return true
      } catch {
        return undefined
      }
    })
    expect((await simState(sim)).lines[0].text).toBe('插回之后')
  })

  it('a display that boots after the booth is asked again within seconds, not at the next idle probe', async () => {
    pty = await startPtyPair()
    const display = led(pty.booth)
    await eventually('first probe unanswered', () => (display.health().status === 'offline' ? true : undefined))
    sim = await startSerialSim('led', pty.device)
    await eventually('display online once it answers a later probe', () => (display.health().status === 'online' ? true : undefined))
  })

  it('an encrypted display with a different password shows as an error, not online', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('led', pty.device, ['--password', 'gate-2026'])
    const display = led(pty.booth, 'wrong-pass')
    await eventually('probe refused', () => (display.health().status === 'error' ? true : undefined))
    expect(display.health().error).toMatch(/0x00 \(wrong password\)/)
  })

  it('works over TCP, as through an RS485-to-Ethernet converter', async () => {
    sim = await startSerialSim('led', 'tcp://127.0.0.1:0')
    const display = led(simSerialUrl(sim))
    await eventually('display online (probe answered)', () => (display.health().status === 'online' ? true : undefined))
    await display.show([{ text: '网口转485', colour: 'green' }], '欢迎光临')
    expect(await simState(sim)).toMatchObject({ lines: [{ text: '网口转485', colour: 'green' }, null, null, null], voice: ['欢迎光临'] })
  })
})

describe('XK3190-A9 weighbridge over a pty', () => {
  function scale(path: string): { scale: Xk3190Scale; readings: WeightReading[] } {
    const instance = new Xk3190Scale({ id: 'in1/scale', laneId: 'in1', path, baudRate: 9600, reconnectMs: 100, stableToleranceKg: 20, settleMs: 600, staleMs: 500 })
    device = instance
    const readings: WeightReading[] = []
    instance.onWeight((reading) => readings.push(reading))
    return { scale: instance, readings }
  }

  it('follows a truck driving on: unstable while the weight climbs, stable once it settles at the gross weight', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('scale', pty.device, ['--interval-ms', '50', '--noise-kg', '5'])
    const { scale: weighbridge, readings } = scale(pty.booth)
    await eventually('empty scale stable', () => (weighbridge.current()?.stable && weighbridge.current()!.kg <= 5 ? true : undefined))
    readings.length = 0
    await simControl(sim, 'weight', { kg: 49_000, rampMs: 800 })
    const settled = await eventually('stable near 49 t', () => {
      const now = weighbridge.current()
      return now?.stable && Math.abs(now.kg - 49_000) <= 5 ? now : undefined
    })
    expect(settled.kg).toBeGreaterThanOrEqual(48_995)
    // While climbing, readings were seen and none of them was called stable.
    const climbing = readings.filter((r) => r.kg > 1_000 && r.kg < 48_000)
    expect(climbing.length).toBeGreaterThan(0)
    expect(climbing.every((r) => !r.stable)).toBe(true)
    expect(weighbridge.health()).toMatchObject({ status: 'online', kind: 'scale' })
  })

  it('skips garbage, goes offline when the indicator falls silent, and online when it talks again', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('scale', pty.device, ['--interval-ms', '50'])
    const { scale: weighbridge } = scale(pty.booth)
    await simControl(sim, 'weight', { kg: 31_500, rampMs: 0 })
    await simControl(sim, 'garbage', { hex: '02 2B 39 39 39 39 39 39 30 30 30 03 02 02' })
    await eventually('31.5 t stable', () => (weighbridge.current()?.stable && weighbridge.current()!.kg === 31_500 ? true : undefined))
    await simControl(sim, 'silent', { on: true })
    await eventually('offline', () => (weighbridge.health().status === 'offline' ? true : undefined))
    expect(weighbridge.health().error).toBe('no weight frame for 500 ms')
    expect(weighbridge.current()).toBeNull()
    await simControl(sim, 'silent', { on: false })
    await eventually('online again', () => (weighbridge.health().status === 'online' ? true : undefined))
  })
})
