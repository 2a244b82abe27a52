import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventPayload, Passage } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { fetchWithDigest, HttpAuthError, OnvifCamera, probeOnvif } from '../../src/main/booth/devices/camera'
import type { DeviceHealth } from '../../src/main/booth/devices'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { CAMERA_PASSWORD, CAMERA_USER, startSimCamera, stopSimCamera, type SimCamera } from './onvif-support'
import { eventually, tempDir } from './support'

let sim: SimCamera | undefined
const cameras: OnvifCamera[] = []

function camera(options: { password?: string; url?: string; renewAfterMs?: number } = {}): OnvifCamera {
  const created = new OnvifCamera({
    id: 'in1/camera',
    laneId: 'in1',
    url: options.url ?? sim!.url,
    username: CAMERA_USER,
    password: options.password ?? CAMERA_PASSWORD,
    healthIntervalMs: 200,
    requestTimeoutMs: 1_000,
    retryMs: 100,
    renewAfterMs: options.renewAfterMs
  })
  cameras.push(created)
  created.start()
  return created
}

function status(target: OnvifCamera, wanted: DeviceHealth['status']): Promise<DeviceHealth> {
  return eventually(`camera ${wanted}`, () => (target.health().status === wanted ? target.health() : undefined))
}

beforeEach(async () => {
  sim = await startSimCamera()
})

afterEach(async () => {
  await Promise.all(cameras.splice(0).map((c) => c.stop()))
  await stopSimCamera(sim)
})

describe('ONVIF camera against the simulator process', () => {
  it('is found by a WS-Discovery probe', async () => {
    const found = await probeOnvif({ ...sim!.discovery, timeoutMs: 500 })
    expect(found).toHaveLength(1)
    expect(found[0]!.xaddrs).toEqual([sim!.url])
    expect(found[0]!.types).toContain('dn:NetworkVideoTransmitter')
    expect(found[0]!.endpoint).toMatch(/^urn:uuid:/)
  })

  it('reads profiles, snapshot URI and stream URI, and fetches a JPEG with digest auth', async () => {
    const cam = camera()
    await status(cam, 'online')
    const media = cam.mediaInfo()!
    expect(media).toMatchObject({ profileToken: 'Profile_1', profileName: 'mainStream' })
    expect(media.streamUri).toMatch(/^rtsp:\/\/127\.0\.0\.1:554\//)

    const jpeg = await cam.snapshot()
    const meta = await sharp(jpeg).metadata()
    expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 360 })

    // The snapshot URI itself demands digest auth: nothing without it, a clear refusal with a wrong password.
    const bare = await fetch(media.snapshotUri)
    expect(bare.status).toBe(401)
    expect(bare.headers.get('www-authenticate')).toMatch(/^Digest .*qop="auth"/)
    await expect(fetchWithDigest(media.snapshotUri, { username: CAMERA_USER, password: 'wrong' }, 1_000)).rejects.toBeInstanceOf(HttpAuthError)
  })

  it('reports wrong credentials as a device error with a clear reason, and refuses snapshots', async () => {
    const cam = camera({ password: 'not-the-password' })
    const health = await status(cam, 'error')
    expect(health.error).toContain('用户名或密码错误')
    expect(health.lastSeenAt).toBeNull()
    await expect(cam.snapshot()).rejects.toThrow(/用户名或密码错误/)
  })

  it('turns a malformed SOAP reply into a device error, and recovers when the camera answers properly again', async () => {
    const cam = camera()
    await status(cam, 'online')
    const plates: string[] = []
    cam.onPlate((read) => plates.push(read.plate))
    await sim!.admin('fault', { mode: 'malformed' })
    const health = await status(cam, 'error')
    expect(health.error).toContain('格式错误')
    await sim!.admin('fault', { mode: 'none' })
    await status(cam, 'online')
    // Still working after the fault: a plate raised now arrives.
    await sim!.raiseWhenSubscribed('plate', { plate: '豫A00005' })
    await eventually('plate after recovery', () => (plates.includes('豫A00005') ? true : undefined))
  })

  it('goes offline when the camera process dies and comes back when it restarts on the same address', async () => {
    const cam = camera()
    await status(cam, 'online')
    const port = sim!.port
    await stopSimCamera(sim, 'SIGKILL')
    const offline = await status(cam, 'offline')
    expect(offline.error).toContain('无响应')
    expect(offline.lastSeenAt).not.toBeNull()

    sim = await startSimCamera({ port })
    await status(cam, 'online')
    const reads: string[] = []
    cam.onPlate((read) => reads.push(read.plate))
    await sim!.raiseWhenSubscribed('plate', { plate: '豫A00003' })
    await eventually('plate after restart', () => (reads.includes('豫A00003') ? true : undefined))
  })

  it('renews its pull-point subscription and unsubscribes when stopped', async () => {
    const cam = camera({ renewAfterMs: 0 })
    await status(cam, 'online')
    await sim!.raiseWhenSubscribed('input', { state: true })
    await eventually('a renewal', async () => (((await sim!.admin('state', {})).renewals ?? 0) > 0 ? true : undefined))
    await cam.stop()
    expect(await sim!.admin('state', {})).toMatchObject({ subscriptions: 0 })
  })

  it('delivers digital input changes from the event service', async () => {
    const cam = camera()
    await status(cam, 'online')
    const inputs: { input: string; active: boolean }[] = []
    cam.onDigitalInput(({ input, active }) => inputs.push({ input, active }))
    await sim!.raiseWhenSubscribed('input', { token: 'DI_1', state: true })
    await sim!.admin('input', { token: 'DI_1', state: false })
    await eventually('both input edges', () => (inputs.some((i) => !i.active) ? true : undefined))
    expect(inputs.find((i) => i.active)).toEqual({ input: 'DI_1', active: true })
    expect(inputs.at(-1)).toEqual({ input: 'DI_1', active: false })
  })
})

describe('plate events from the pull point reach the lane as passages', () => {
  let platform: PlatformSim
  let app: SingleGate

  beforeEach(async () => {
    platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
    const config = demoConfig({ dataDir: tempDir('onvif'), platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
    const onvifCamera = { ...config.lanes[0]!.camera, kind: 'onvif' as const, url: sim!.url, username: CAMERA_USER, passwordEnv: 'TEST_CAMERA_PASSWORD', healthIntervalMs: 500, requestTimeoutMs: 1_000 }
    app = await startSingleGate({
      config: { ...config, lanes: config.lanes.map((lane) => (lane.id === 'in1' ? { ...lane, camera: onvifCamera } : lane)) },
      platformPassword: DEMO_PLATFORM.password,
      version: 'test',
      demo: true,
      log: () => {},
      secrets: { TEST_CAMERA_PASSWORD: CAMERA_PASSWORD }
    })
  })

  afterEach(async () => {
    await app.close()
    await platform.close()
  })

  it('records both plate metadata forms with colour and a snapshot as the front photo; publishes camera inputs', async () => {
    const inputs: EventPayload<'camera.input'>[] = []
    app.events.subscribe((event, payload) => {
      if (event === 'camera.input') inputs.push(payload as EventPayload<'camera.input'>)
    })
    const cam = app.cameras.byLane.get('in1')!
    await status(cam, 'online')
    await sim!.raiseWhenSubscribed('plate', { plate: '豫A00005', colour: 'Yellow', confidence: 0.93 })
    await sim!.admin('plate', { plate: '豫AD00006', colour: 'Green', format: 'element' })
    await sim!.admin('input', { token: 'DI_1', state: true })

    const passages = await eventually('two passages', () => {
      const list = app.store.passages.latest(10)
      return list.length >= 2 ? list : undefined
    })
    const byPlate = (plate: string) => passages.find((p: Passage) => p.plate === plate)!
    expect(byPlate('豫A00005')).toMatchObject({ laneId: 'in1', plateColour: '1', source: 'lpr', decision: 'allow', photoCount: 1 })
    expect(byPlate('豫AD00006')).toMatchObject({ laneId: 'in1', plateColour: '4', source: 'lpr', photoCount: 1 })
    await eventually('camera input event', () => (inputs.length > 0 ? true : undefined))
    expect(inputs[0]).toMatchObject({ laneId: 'in1', input: 'DI_1', active: true })
  })

  it('does not record a read that is not a plate, and keeps taking reads after it', async () => {
    const cam = app.cameras.byLane.get('in1')!
    await status(cam, 'online')
    await sim!.raiseWhenSubscribed('plate', { plate: 'NOT-A-PLATE' })
    await sim!.admin('plate', { plate: '豫A00004' })
    const passage = await eventually('next plate recorded', () => app.store.passages.latest(10).find((p) => p.plate === '豫A00004'))
    expect(passage.decision).toBe('refuse')
    expect(app.store.passages.latest(10)).toHaveLength(1)
  })
})
