/**
 * Demo mode end to end over the host process: the simulated barrier controller (auto-driving trucks), LED display,
 * city platform and cameras in their own processes; a guard's plate entry goes all the way to the arm and the LED.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { eventually, loggedIn, startProcess, stopProcess, tempDir, type RunningProcess } from './support'

let host: RunningProcess | undefined

afterEach(() => stopProcess(host))

/** The control URLs the demo host printed for a lane's simulated devices (`demo devices <lane> {…}`). */
function demoDevices(host: RunningProcess, laneId: string): { barrier: string; display: string; scale: string } {
  const match = new RegExp(`^demo devices ${laneId} (\\{.*\\})$`, 'm').exec(host.output())
  if (!match) throw new Error(`the demo host printed no devices for ${laneId}:\n${host.output()}`)
  return JSON.parse(match[1]!)
}

const state = async (controlUrl: string): Promise<any> => (await fetch(`${controlUrl}/state`)).json()

describe('lane and devices in demo mode', () => {
  it('an allowed plate opens the simulated barrier, the truck drives through, the passage ends passed, the LED shows it', async () => {
    host = await startProcess('host.js', ['--demo', '--data', tempDir('lane-demo'), '--port', '0', '--lpr-port', '0'], {}, /listening /)
    const control = demoDevices(host, 'in1')
    const guard = await loggedIn(host.url)
    await eventually('the lane sees its barrier', async () => {
      const lanes = (await guard.call('lanes.state')).body.result as { laneId: string; barrier: { arm: string } | null }[]
      return lanes.find((lane) => lane.laneId === 'in1')?.barrier?.arm === 'down' ? true : undefined
    })
    const before = await state(control.barrier)

    const submitted = await guard.call('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' })
    const recorded = submitted.body.result as Passage
    expect(recorded).toMatchObject({ decision: 'allow', reasonCode: 'platform_allow', decidedOffline: false })

    const done = await eventually(
      'the passage closed',
      async () => {
        const passages = (await guard.call('passages.list', { limit: 5 })).body.result as Passage[]
        const passage = passages.find((p) => p.id === recorded.id)
        return passage?.gateSignal != null ? passage : undefined
      },
      30_000
    )
    expect(done).toMatchObject({ bgzt: '1', gateSignal: '0', forced: false })
    const barrier = await state(control.barrier)
    expect(barrier.opens - before.opens).toBe(1)
    expect(barrier.trucks - before.trucks).toBe(1)
    expect(barrier.forcedPasses).toBe(0)

    const led = await state(control.display)
    expect(led.lines.slice(0, 2).map((line: { text: string; colour: string }) => [line.text, line.colour])).toEqual([
      ['豫A12345', 'green'],
      ['请通行', 'green']
    ])
    expect(led.voice.at(-1)).toBe('豫A12345，请通行')
  })
})
