import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LaneState, Passage } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { CAMERA_PASSWORD, CAMERA_USER, startSimCamera, stopSimCamera, type SimCamera } from './onvif-support'
import { startSimOnPty, type SimOnPty } from './serial-support'
import { eventually, GUARD_CONTEXT, tempDir } from './support'

/**
 * 重新抓拍 (lane.recapture): the guard takes the lane camera's photo again for the truck held in the lane. Real parts:
 * a Modbus barrier simulator on a socat pty (so a refused truck is held in the lane), the ONVIF camera simulator for
 * the snapshot, the platform simulator for the uploads.
 */
let platform: PlatformSim
let barrier: SimOnPty
let camera: SimCamera
let app: SingleGate

async function call<T>(command: string, input: unknown): Promise<T> {
  const reply = await app.router.dispatch(command, input, GUARD_CONTEXT)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.code} ${reply.error.message}`)
  return reply.result as T
}

async function failure(command: string, input: unknown) {
  const reply = await app.router.dispatch(command, input, GUARD_CONTEXT)
  if (reply.ok) throw new Error(`${command} unexpectedly succeeded`)
  return reply.error
}

beforeAll(async () => {
  ;[barrier, camera, platform] = await Promise.all([
    startSimOnPty('barrier', ['--travel-ms', '100', '--loop-ms', '200']),
    startSimCamera({ lane: '1号入口' }),
    startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  ])
  const dataDir = tempDir('recapture')
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  const config = parseConfig(
    {
      ...base,
      lanes: [
        {
          ...base.lanes[0]!,
          camera: { kind: 'onvif', url: camera.url, username: CAMERA_USER, passwordEnv: 'RECAPTURE_CAMERA_PASSWORD' },
          barrier: { kind: 'modbus-rtu', path: barrier.pty.booth, baudRate: 9600, timeoutMs: 1_000, retries: 2, pollMs: 30, reconnectMs: 100 }
        },
        { id: 'in2', name: '2号入口', gateCode: '03', direction: 'in' }
      ],
      sync: { intervalMs: 100, maxBackoffMs: 200 },
      // Held long enough for the test; closed by the guard's refusal.
      laneTiming: { decisionHoldMs: 60_000 }
    },
    dataDir
  )
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {}, secrets: { RECAPTURE_CAMERA_PASSWORD: CAMERA_PASSWORD } })
  await eventually('in1 barrier seen', () => (app.lanes.state('in1').barrier?.arm === 'down' ? true : undefined))
  await eventually('in1 camera online', () => (app.devices.list().find((device) => device.id === 'in1/camera')?.status === 'online' ? true : undefined))
})

afterAll(async () => {
  await app?.close()
  await Promise.all([platform?.close(), barrier?.stop(), camera && stopSimCamera(camera)])
})

describe('re-capturing the photo of the truck in the lane', () => {
  it('takes the camera photo for a typed plate, adds the rear on re-capture, uploads both after the record once the truck is dealt with, and refuses a third', async () => {
    // A typed plate takes the lane camera's snapshot as its front photo; re-capture adds the rear.
    const held = await call<Passage>('plate.submit', { laneId: 'in1', plate: '豫A00003', colour: '1' })
    expect(held).toMatchObject({ decision: 'refuse', photoCount: 1 })

    await call<LaneState>('lane.recapture', { laneId: 'in1' })
    expect(app.store.passages.get(held.id)).toMatchObject({ photoCount: 2 })
    expect(app.store.photos.forPassage(held.id).map((photo) => [photo.zpbh, photo.zplx])).toEqual([
      ['1', '1'],
      ['2', '1']
    ])
    expect(await failure('lane.recapture', { laneId: 'in1' })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('已有前后两张照片') })

    // Held with the record while the truck is in the lane: nothing of this passage is sent yet.
    await app.sync.idle()
    expect(platform.requests().filter((request) => request.value?.lsh === held.lsh)).toEqual([])

    await call<LaneState>('lane.refuse', { laneId: 'in1', note: '管控车辆，劝返', passageId: held.id })
    await eventually('uploaded', () => (app.store.passages.get(held.id)!.upload === 'uploaded' ? true : undefined))
    const sent = platform.requests().filter((request) => request.value?.lsh === held.lsh && request.reply?.code === '200')
    // The record first (a photo goes only after its record was accepted), then both photos.
    expect(sent.map((request) => request.ipctype)).toEqual(['shareDrivingRecord', 'sharePhotoInfo', 'sharePhotoInfo'])
    expect(sent.slice(1).map((request) => request.value?.zpbh).sort()).toEqual(['1', '2'])
    expect(app.store.manualActions.latest(10).filter((action) => action.action === 'recapture').map((action) => [action.actorName, action.reason])).toEqual([['测试门卫', 'zpbh 2']])
  })

  it('says clearly when there is no truck in the lane, or no such lane, and changes nothing', async () => {
    await eventually('in1 idle', () => (app.lanes.state('in1').phase === 'idle' ? true : undefined))
    const photosBefore = app.store.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()
    expect(await failure('lane.recapture', { laneId: 'in1' })).toMatchObject({ code: 'not_found', message: expect.stringContaining('当前没有已登记的车辆') })
    expect(await failure('lane.recapture', { laneId: 'nosuch' })).toMatchObject({ code: 'unknown_lane' })
    expect(app.store.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(photosBefore)
  })
})
