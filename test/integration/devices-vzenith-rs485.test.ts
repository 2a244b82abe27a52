/**
 * The Vzenith RS-485 pass-through display against the camera simulator in its own process over loopback TCP: the
 * 0x64 frames for the lines and the voice are carried by `ttransmission` to the module on the camera's RS-485 port;
 * a refusal, garbage and a silent camera end as a clear health, never a crash.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { VzenithRs485Display } from '../../src/main/booth/devices/display-vzenith-rs485/vzenith-display'
import { eventually, stopProcess, type RunningProcess } from './support'
import { simControl, simSerialUrl, simState, startSerialSim } from './serial-support'

let sim: RunningProcess | undefined
let display: VzenithRs485Display | undefined

afterEach(async () => {
  await display?.stop()
  await stopProcess(sim)
  display = sim = undefined
})

async function start(): Promise<{ display: VzenithRs485Display; sim: RunningProcess }> {
  sim = await startSerialSim('vzenith-rs485', 'tcp://127.0.0.1:0', ['--address', '2'])
  display = new VzenithRs485Display({ id: 'in1/display', laneId: 'in1', path: simSerialUrl(sim), reconnectMs: 100, port: 'rs485-1', address: 2, lines: 2, timeoutMs: 1_000, probeMs: 60_000 })
  await eventually('camera online (heartbeat answered)', () => (display!.health().status === 'online' ? true : undefined))
  return { display, sim }
}

describe('Vzenith camera RS-485 pass-through', () => {
  it('carries the lines and the voice to the module on the camera’s RS-485 port', async () => {
    const { display, sim } = await start()
    await display.show([{ text: '豫A12345', colour: 'green' }, { text: '请通行', colour: 'green' }], '豫A12345，请通行')
    const state = await simState(sim)
    expect(state.lines).toEqual([{ text: '豫A12345', colour: 'green' }, { text: '请通行', colour: 'green' }, null, null])
    expect(state.voice).toEqual(['豫A12345，请通行'])
    expect(state.passThroughs).toBe(3)
    expect(display.health()).toMatchObject({ status: 'online', error: null })
  })

  it('a refusal, garbage on the channel and a silent camera: clear health, show() fails with the reason, all recover', async () => {
    const { display, sim } = await start()
    await simControl(sim, 'refuse-next', { code: 500 })
    await expect(display.show([{ text: '忙', colour: 'red' }])).rejects.toThrow(/state_code 500: serial port busy/)
    expect(display.health()).toMatchObject({ status: 'error' })

    await simControl(sim, 'garbage', { hex: '56 5A 09 00 FF FF FF FF 13 37' })
    await display.show([{ text: '噪声之后', colour: 'yellow' }])
    expect((await simState(sim)).lines[0]).toEqual({ text: '噪声之后', colour: 'yellow' })
    expect(display.health()).toMatchObject({ status: 'online' })

    await simControl(sim, 'silent', { on: true })
    await expect(display.show([{ text: '无应答', colour: 'red' }])).rejects.toThrow(/no answer within 1000 ms/)
    expect(display.health()).toMatchObject({ status: 'offline' })
    await simControl(sim, 'silent', { on: false })
    await display.show([{ text: '恢复', colour: 'green' }])
    expect(display.health()).toMatchObject({ status: 'online', error: null })
  })
})
