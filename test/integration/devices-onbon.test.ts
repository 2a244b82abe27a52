/**
 * The Onbon BX display adapter against the Onbon controller simulator in its own process, over a real pty (socat):
 * lines with colours and the voice arrive as the controller reads them; garbage, a corrupted answer and a silent
 * controller end as a clear health, never a crash.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DisplayTextError } from '../../src/main/booth/devices'
import { OnbonBxDisplay } from '../../src/main/booth/devices/display-onbon-bx/onbon-display'
import { eventually, stopProcess, type RunningProcess } from './support'
import { simControl, simState, startPtyPair, startSerialSim, type PtyPair } from './serial-support'

let pty: PtyPair | undefined
let sim: RunningProcess | undefined
let display: OnbonBxDisplay | undefined

afterEach(async () => {
  await display?.stop()
  await stopProcess(sim)
  await pty?.stop()
  display = sim = pty = undefined
})

async function start(): Promise<{ display: OnbonBxDisplay; sim: RunningProcess }> {
  pty = await startPtyPair()
  sim = await startSerialSim('onbon', pty.device, ['--screen', '3'])
  display = new OnbonBxDisplay({ id: 'in1/display', laneId: 'in1', path: pty.booth, baudRate: 57600, reconnectMs: 100, screen: 3, series: 'bx5', width: 96, height: 32, lines: 2, timeoutMs: 1_000, probeMs: 60_000 })
  await eventually('display online (status query answered)', () => (display!.health().status === 'online' ? true : undefined))
  return { display, sim }
}

const areas = async (running: RunningProcess) => ((await simState(running)).areas as any[]).map((area) => [area.id, area.y, area.height, area.colour, area.text])

describe('Onbon BX display over a pty', () => {
  it('shows the lines as stacked areas in their colours and the controller speaks the voice', async () => {
    const { display, sim } = await start()
    await display.show([{ text: '豫A12345', colour: 'red' }, { text: '禁止通行', colour: 'red' }], '豫A12345，禁止通行')
    expect(await areas(sim)).toEqual([
      [0, 0, 16, 'red', '豫A12345'],
      [1, 16, 16, 'red', '禁止通行']
    ])
    expect((await simState(sim)).voice).toEqual(['豫A12345，禁止通行'])
    expect(sim.output()).toContain('onbon-sim show area 2 [red] 禁止通行')

    // A one-line message blanks the second line: no stale verdict stays up.
    await display.show([{ text: '欢迎光临', colour: 'green' }])
    expect(await areas(sim)).toEqual([
      [0, 0, 16, 'green', '欢迎光临'],
      [1, 16, 16, 'green', '']
    ])
    expect(display.health()).toMatchObject({ status: 'online', error: null, kind: 'display' })
    await expect(display.show([{ text: '😀', colour: 'red' }])).rejects.toThrow(DisplayTextError)
  })

  it('garbage, a corrupted answer and silence: clear health, show() fails with the reason, all recover', async () => {
    const { display, sim } = await start()
    await simControl(sim, 'garbage', { hex: 'A5 A5 00 01 5A 13 37 A5' })
    await display.show([{ text: '噪声之后', colour: 'yellow' }])
    expect((await areas(sim))[0]).toEqual([0, 0, 16, 'yellow', '噪声之后'])

    await simControl(sim, 'corrupt-next')
    await expect(display.show([{ text: '坏应答', colour: 'red' }])).rejects.toThrow(/CRC/)
    expect(display.health()).toMatchObject({ status: 'error' })

    await simControl(sim, 'silent', { on: true })
    await expect(display.show([{ text: '无应答', colour: 'red' }])).rejects.toThrow(/no answer within 1000 ms/)
    expect(display.health()).toMatchObject({ status: 'offline', error: expect.stringContaining('no answer') })

    await simControl(sim, 'silent', { on: false })
    await display.show([{ text: '恢复', colour: 'green' }])
    expect(display.health()).toMatchObject({ status: 'online', error: null })
  })
})
