/**
 * A lane's decision shown and spoken on each display brand, through the whole booth (single-gate role, platform
 * simulator, real SQLite): in1 has an Onbon BX controller on a socat pty (its voice module speaks), in2 an LED/voice
 * module behind a Vzenith camera's RS-485 pass-through over loopback TCP, in3 the same module with the booth PC
 * speaking instead (`voice: "pc"`: the `lane.voice` event, nothing spoken by the module).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName, Passage } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { simSerialUrl, simState, startSerialSim, startSimOnPty, type SimOnPty } from './serial-support'
import { eventually, GUARD_CONTEXT, stopProcess, tempDir, type RunningProcess } from './support'

let platform: PlatformSim
let app: SingleGate
let onbon: SimOnPty
let cameras: { in2: RunningProcess; in3: RunningProcess }
const published: { event: EventName; payload: any }[] = []

beforeAll(async () => {
  ;[onbon, cameras] = await Promise.all([
    startSimOnPty('onbon'),
    Promise.all([startSerialSim('vzenith-rs485', 'tcp://127.0.0.1:0'), startSerialSim('vzenith-rs485', 'tcp://127.0.0.1:0')]).then(([in2, in3]) => ({ in2, in3 }))
  ])
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const dataDir = tempDir('lane-voice')
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  const lane = (id: string, gateCode: string) => ({ id, name: `${gateCode}号入口`, gateCode, direction: 'in' as const })
  const camera = (sim: RunningProcess) => ({ kind: 'vzenith-rs485', path: simSerialUrl(sim), reconnectMs: 100, lines: 2 })
  const config = parseConfig(
    {
      ...base,
      lanes: [
        { ...lane('in1', '01'), display: { kind: 'onbon-bx', path: onbon.pty.booth, reconnectMs: 100, lines: 2 } },
        { ...lane('in2', '02'), display: camera(cameras.in2) },
        { ...lane('in3', '03'), display: camera(cameras.in3), voice: 'pc' }
      ]
    },
    dataDir
  )
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
  app.events.subscribe((event, payload) => published.push({ event, payload }))
  for (const id of ['in1/display', 'in2/display', 'in3/display']) {
    await eventually(`${id} online`, () => (app.devices.list().find((device) => device.id === id)?.status === 'online' ? true : undefined))
  }
})

afterAll(async () => {
  await app?.close()
  await platform?.close()
  await Promise.all([onbon?.stop(), stopProcess(cameras?.in2), stopProcess(cameras?.in3)])
})

async function submit(laneId: string, plate: string): Promise<Passage> {
  const reply = await app.router.dispatch('plate.submit', { laneId, plate, colour: '1' }, GUARD_CONTEXT)
  if (!reply.ok) throw new Error(`plate.submit: ${reply.error.message}`)
  return reply.result as Passage
}

describe('each decision shown and spoken per lane', () => {
  it('Onbon BX: the refused plate and 禁止通行 in red on the controller, which says so', async () => {
    expect((await submit('in1', '豫A00003')).decision).toBe('refuse')
    const state = await eventually('Onbon shows the refusal', async () => {
      const state = await simState(onbon.sim)
      return state.areas[1]?.text === '禁止通行' && state.voice.length > 0 ? state : undefined
    })
    expect(state.areas.map((area: any) => [area.text, area.colour])).toEqual([
      ['豫A00003', 'red'],
      ['禁止通行', 'red']
    ])
    expect(state.voice.at(-1)).toBe('豫A00003，禁止通行')
  })

  it('Vzenith pass-through: the allowed plate in green and 请通行 spoken by the module on the camera’s RS-485', async () => {
    expect((await submit('in2', '豫A00005')).decision).toBe('allow')
    const state = await eventually('module speaks', async () => {
      const state = await simState(cameras.in2)
      return state.voice.at(-1) === '豫A00005，请通行' ? state : undefined
    })
    expect(state.lines.slice(0, 2)).toEqual([
      { text: '豫A00005', colour: 'green' },
      expect.objectContaining({ colour: 'green' })
    ])
  })

  it('voice "pc": the booth PC is told to speak, the module only shows', async () => {
    expect((await submit('in3', '豫A00004')).decision).toBe('refuse')
    const speech = await eventually('lane.voice published', () => published.find((p) => p.event === 'lane.voice' && p.payload.laneId === 'in3')?.payload)
    expect(speech).toMatchObject({ laneId: 'in3', text: '豫A00004，禁止通行' })
    await eventually('module shows the refusal', async () => ((await simState(cameras.in3)).lines[1]?.text === '禁止通行' ? true : undefined))
    expect((await simState(cameras.in3)).voice).toEqual([])
    expect(published.filter((p) => p.event === 'lane.voice').map((p) => p.payload.laneId)).toEqual(['in3'])
  })
})
