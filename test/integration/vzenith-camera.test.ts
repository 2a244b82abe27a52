import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cameraBarrier, type VzenithReplyBarrier } from '../../src/main/booth/devices/barrier-camera'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { eventually, freePort, GUARD_CONTEXT, type RunningProcess, stopProcess, tempDir } from './support'
import { simControl, simSerialUrl, simState, startSerialSim } from './serial-support'

/**
 * A 臻识 camera end to end over its simulator process: the plate push opens in its reply, and a guard's 人工放行 later
 * (no push waiting) opens through the camera's TCP channel (`ioctl` on IO output 0); the loop on its input 0 sees the
 * truck pass; the passage says the guard raised the arm and uploads bgzt 1. A silent camera is offline with the reason.
 */
let platform: PlatformSim
let camera: RunningProcess
let app: SingleGate
const passage = (plate: string) => app.store.passages.latest(20).find((p) => p.plate === plate)
const lastPlate = () => (app.laneDevices.get('in1')!.barrier as VzenithReplyBarrier).lastPlate().catch(() => null)
const barrierHealth = () => app.devices.list().find((d) => d.id === 'in1/barrier')

beforeAll(async () => {
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const lprPort = await freePort()
  camera = await startSerialSim('vzenith-rs485', 'tcp://127.0.0.1:0', ['--push-url', `http://127.0.0.1:${lprPort}/lpr/in1`, '--travel-ms', '100'])
  const dataDir = tempDir('vzenith-camera')
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort })
  const barrier = cameraBarrier.config.parse({ kind: 'camera', brand: 'vzenith', url: simSerialUrl(camera), inputs: { loop: 1 }, pollMs: 50, timeoutMs: 500 })
  const config = parseConfig({ ...base, lanes: [{ ...base.lanes[0]!, barrier }, base.lanes[1]!] }, dataDir)
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: false, log: () => {} })
  await eventually('barrier online over TCP 8131', () => (barrierHealth()?.status === 'online' ? true : undefined))
})

afterAll(async () => {
  await app?.close()
  await stopProcess(camera)
  await platform?.close()
})

describe('臻识 camera: the barrier opened outside a push reply, over the camera’s TCP channel', () => {
  it('an allowed truck is opened by the push reply ("ok"): no ioctl needed', async () => {
    const reply = (await simControl(camera, 'plate', { plate: '豫A00005' })) as { status: number; body: string }
    expect(JSON.parse(reply.body)).toMatchObject({ Response_AlarmInfoPlate: { info: 'ok' }, decision: 'allow' })
    await eventually('arm up', async () => ((await simState(camera)).arm === 'up' ? true : undefined))
    await simControl(camera, 'truck', { loopMs: 300 })
    const closed = await eventually('passage closed', () => (passage('豫A00005')?.gateSignal ? passage('豫A00005') : undefined))
    // 单排黄牌 (the simulator's plate type 3): a large vehicle, as the guard sees it.
    expect(closed).toMatchObject({ bgzt: '1', raiseSource: 'plate', vehicleClass: 'large_vehicle' })
    expect((await simState(camera)).ioctls).toEqual([])
    await eventually('arm down', async () => ((await simState(camera)).arm === 'down' ? true : undefined))
  })

  it('a refused truck released by the guard later: ioctl on output 0 raises the arm, the passage says guard, uploaded bgzt 1', async () => {
    const reply = (await simControl(camera, 'plate', { plate: '豫A00003' })) as { status: number; body: string }
    expect(JSON.parse(reply.body)).toMatchObject({ Response_AlarmInfoPlate: { info: 'no' }, decision: 'refuse' })
    const held = await eventually('held for the guard', () => (app.lanes.state('in1').phase === 'decided' ? app.lanes.state('in1') : undefined))
    expect((await simState(camera)).arm).toBe('down')

    app.lanes.release({ laneId: 'in1', passageId: held.current!.passageId!, reason: 'leader_approved', note: '', confirmViolation: true }, GUARD_CONTEXT.actor)
    await eventually('camera took the ioctl', async () => ((await simState(camera)).ioctls.length > 0 ? true : undefined))
    expect((await simState(camera)).ioctls).toEqual([{ io: 0, value: 2, delay: 500 }])
    await eventually('arm up', async () => ((await simState(camera)).arm === 'up' ? true : undefined))
    await simControl(camera, 'truck', { loopMs: 300 })
    const closed = await eventually('passage closed', () => (passage('豫A00003')?.gateSignal ? passage('豫A00003') : undefined))
    expect(closed).toMatchObject({ bgzt: '1', raiseSource: 'guard', decision: 'allow' })
    const upload = await eventually('record uploaded', () => platform.requests().find((q) => q.ipctype === 'shareDrivingRecord' && JSON.stringify(q.value).includes('豫A00003')))
    expect(JSON.stringify(upload.value)).toMatch(/"bgzt":"1"/)
    await eventually('arm down', async () => ((await simState(camera)).arm === 'down' ? true : undefined))
  })

  it('开闸 by the guard (no truck, no push) pulses output 0 too, and is kept as a software raise', async () => {
    const before = (await simState(camera)).ioctls.length
    await app.lanes.barrier({ laneId: 'in1', action: 'open', reason: '检修' }, GUARD_CONTEXT.actor)
    expect((await simState(camera)).ioctls.slice(before)).toEqual([{ io: 0, value: 2, delay: 500 }])
    await eventually('arm up', async () => ((await simState(camera)).arm === 'up' ? true : undefined))
    const audit = await app.audit.list({ limit: 5, action: 'barrier.raised' })
    expect(audit[0]?.detail).toMatchObject({ source: 'guard' })
    await simControl(camera, 'truck', { loopMs: 200 })
    await eventually('arm down', async () => ((await simState(camera)).arm === 'down' ? true : undefined))
  })

  it('the last recognition is read over the channel (getivsresult, GB2312)', async () => {
    expect(await lastPlate()).toMatchObject({ plate: '豫A00003', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) })
  })

  it('a silent camera is offline with the reason and the lane sees the arm as unknown; garbage and a hang-up are survived', async () => {
    await simControl(camera, 'silent', { on: true })
    await eventually('offline', () => (barrierHealth()?.status === 'offline' ? true : undefined))
    expect(barrierHealth()?.error).toBe('摄像机无应答（超时）')
    expect(app.lanes.state('in1').barrier).toMatchObject({ arm: 'unknown', loopOccupied: null })
    await simControl(camera, 'silent', { on: false })
    await eventually('back online', () => (barrierHealth()?.status === 'online' ? true : undefined))

    await simControl(camera, 'garbage', { hex: '56 5A 07 00 00 00 00 09 13 37' })
    await simControl(camera, 'disconnect')
    await eventually('answering again after the hang-up', async () => ((await lastPlate())?.plate === '豫A00003' && barrierHealth()?.status === 'online' ? true : undefined))
  })
})
