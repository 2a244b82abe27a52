import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cameraBarrier } from '../../src/main/booth/devices/barrier-camera'
import { demoConfig, DEMO_PLATFORM, type GateConfig } from '../../src/main/core/config'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { eventually, freePort, postJson, repoRoot, type RunningProcess, startProcess, stopProcess, tempDir } from './support'

/**
 * Each camera brand end to end over its own simulator process: the camera pushes a plate in its own format, the lane
 * decides, the barrier is opened through the camera's HTTP API (digest auth), the loop on the camera's alarm input
 * sees the truck pass, the passage is recorded with its photo and uploaded with bgzt 1; a remote-control raise with
 * no plate read is alarmed and recorded; bad input from the camera is an error in its health, never a passage.
 */
const PASSWORD_ENV = 'CAMERA_BARRIER_TEST_PASSWORD'
process.env[PASSWORD_ENV] = 'admin123'

interface Rig {
  platform: PlatformSim
  camera: RunningProcess
  app: SingleGate
  control(path: string, body?: unknown): Promise<any>
  passage(plate: string): ReturnType<SingleGate['store']['passages']['latest']>[number] | undefined
}

async function rig(brand: 'hikvision' | 'dahua', laneTiming: Partial<GateConfig['laneTiming']> = {}): Promise<Rig> {
  const platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const lprPort = await freePort()
  const camera = await startProcess(`sim-${brand}.js`, ['--push-url', `http://127.0.0.1:${lprPort}/lpr/in1`, '--travel-ms', '100'], { SIM_CAMERA_PASSWORD: 'admin123' }, new RegExp(`${brand}-sim listening `))
  const base = demoConfig({ dataDir: tempDir(`camera-${brand}`), platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort })
  const barrier = cameraBarrier.config.parse({ kind: 'camera', brand, url: camera.url, passwordEnv: PASSWORD_ENV, inputs: { loop: 1, armUp: 2 }, pollMs: 50 })
  const config: GateConfig = { ...base, laneTiming: { ...base.laneTiming, ...laneTiming }, lanes: [{ ...base.lanes[0]!, barrier }, base.lanes[1]!] }
  const app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: false, log: () => {} })
  const control = async (path: string, body: unknown = {}) => {
    if (path === '/sim/state') return (await fetch(`${camera.url}${path}`)).json()
    return (await postJson(`${camera.url}${path}`, body)).body
  }
  return { platform, camera, app, control, passage: (plate) => app.store.passages.latest(20).find((p) => p.plate === plate) }
}

async function close(r: Rig | undefined): Promise<void> {
  if (!r) return
  await r.app.close()
  await stopProcess(r.camera)
  await r.platform.close()
}

for (const brand of ['hikvision', 'dahua'] as const) {
  describe(`${brand} camera: plate push → decision → barrier through the camera → passage → upload`, () => {
    let r: Rig
    beforeAll(async () => {
      r = await rig(brand)
      await eventually('barrier online', () => (r.app.devices.list().find((d) => d.id === 'in1/barrier')?.status === 'online' ? true : undefined))
    })
    afterAll(() => close(r))

    it('opens the barrier through the camera for an allowed truck and uploads bgzt 1 with the photo', async () => {
      const reply = await r.control('/sim/plate', { plate: '豫A00005' })
      expect(reply.status).toBe(200)
      expect(JSON.parse(reply.body)).toMatchObject({ decision: 'allow', warnings: [] })
      // The camera's vehicle type (Hikvision "truck", Dahua "LargeTruck") as our own class, on the lane and the passage.
      const vehicleClass = brand === 'hikvision' ? 'truck' : 'large_truck'
      expect(r.app.lanes.state('in1').current).toMatchObject({ plate: '豫A00005', vehicleClass })
      await eventually('camera took the open command', async () => ((await r.control('/sim/state')).commands.some((c: { command: string }) => c.command === 'open') ? true : undefined))
      await eventually('arm up', async () => ((await r.control('/sim/state')).arm === 'up' ? true : undefined))
      await r.control('/sim/truck', { loopMs: 400 })
      const passage = await eventually('passage closed', () => (r.passage('豫A00005')?.gateSignal ? r.passage('豫A00005') : undefined))
      // The scene and, kept beside it for the guard's tile, the camera's plate close-up.
      expect(passage).toMatchObject({ bgzt: '1', gateSignal: '0', raiseSource: 'plate', photoCount: 2, source: 'lpr', vehicleClass })
      expect(r.app.store.photos.forPassage(passage!.id).map((photo) => photo.zpbh)).toEqual(['1', 'p'])
      const upload = await eventually('record uploaded', () => r.platform.requests().find((q) => q.ipctype === 'shareDrivingRecord' && JSON.stringify(q.value).includes('豫A00005')))
      expect(JSON.stringify(upload.value)).toMatch(/"bgzt":"1"/)
      // The camera's vehicle class is the booth's own: nothing of it goes to the platform.
      expect(JSON.stringify(upload.value)).not.toContain(vehicleClass)
      // Only the scene goes to the platform (B7.2 has front and rear photos only): the close-up stays on the booth.
      await eventually('front photo uploaded', () => r.platform.requests().find((q) => q.ipctype === 'sharePhotoInfo' && JSON.stringify(q.value).includes(passage!.lsh)))
      const photoUploads = r.platform.requests().filter((q) => q.ipctype === 'sharePhotoInfo' && JSON.stringify(q.value).includes(passage!.lsh))
      expect(photoUploads.map((q) => (q.value as { zpbh?: string }).zpbh)).toEqual(['1'])
      const audit = await r.app.audit.list({ limit: 20, action: 'barrier.raised' })
      expect(audit[0]?.detail).toMatchObject({ source: 'plate', plate: '豫A00005' })
      await eventually('arm lowered after the truck', async () => ((await r.control('/sim/state')).arm === 'down' ? true : undefined))
    })

    it('a remote-control raise with no plate read raises 遥控抬杆 and is recorded as such', async () => {
      await r.control('/sim/remote')
      const alarm = await eventually('remote-raise alarm', () => r.app.alarms.list(20, false).find((a) => a.kind === 'remote_raise'))
      expect(alarm.message).toContain('遥控抬起')
      await r.control('/sim/truck', { loopMs: 300 })
      const passage = await eventually('unread passage closed', () => {
        const p = r.passage('未识别')
        return p?.gateSignal ? p : undefined
      })
      expect(passage).toMatchObject({ raiseSource: 'remote', bgzt: '1', reasonCode: 'remote_raise_unread' })
    })
  })
}

describe('防砸 through a Hikvision camera', () => {
  let r: Rig
  beforeAll(async () => {
    // Short lane timeouts: a truck closed after 1 s on the loop, an opened one lowered for after 1 s.
    r = await rig('hikvision', { passTimeoutMs: 1_000, openTimeoutMs: 1_000 })
    await eventually('barrier online', () => (r.app.devices.list().find((d) => d.id === 'in1/barrier')?.status === 'online' ? true : undefined))
  })
  afterAll(() => close(r))

  it('no lower goes out while a vehicle is on the loop; the lane says why, and lowers once the loop is clear', async () => {
    await r.control('/sim/plate', { plate: '豫A00005' })
    await eventually('arm up', async () => ((await r.control('/sim/state')).arm === 'up' ? true : undefined))
    // A long vehicle stays on the loop; the next truck, allowed, is opened for under it and does not come through in
    // time: its open timeout would lower the arm, but onto the vehicle still there.
    await r.control('/sim/truck', { loopMs: 4_000 })
    await r.control('/sim/plate', { plate: '豫AD00006', colour: 'green' })
    const waiting = await eventually('lower waiting', () => (r.app.lanes.state('in1').barrierNotice ? r.app.lanes.state('in1') : undefined))
    expect(waiting.barrierNotice).toBe('防砸：车辆仍在道闸下，落杆等待车辆驶离')
    const meanwhile = await r.control('/sim/state')
    expect(meanwhile).toMatchObject({ loop: true, arm: 'up' })
    expect(meanwhile.commands.map((c: { command: string }) => c.command)).toEqual(['open', 'open'])
    await eventually('lowered once the loop cleared', async () => ((await r.control('/sim/state')).commands.some((c: { command: string }) => c.command === 'close') ? true : undefined))
    expect(r.app.lanes.state('in1').barrierNotice ?? null).toBeNull()
    await eventually('arm down', async () => ((await r.control('/sim/state')).arm === 'down' ? true : undefined))
  })
})

describe('bad input from a Hikvision camera', () => {
  let r: Rig
  beforeAll(async () => {
    r = await rig('hikvision')
  })
  afterAll(() => close(r))

  const health = () => r.app.devices.list().find((d) => d.id === 'in1/camera')

  it('a truncated multipart, a broken alert XML: 400, the camera health says why, no passage', async () => {
    const before = r.app.store.passages.latest(50).length
    const truncated = await r.control('/sim/plate', { plate: '豫A00005', fault: 'truncated' })
    expect(truncated.status).toBe(400)
    expect(JSON.parse(truncated.body).error.message).toContain('截断')
    expect(health()).toMatchObject({ status: 'error', error: expect.stringContaining('截断') })
    const badXml = await r.control('/sim/plate', { plate: '豫A00005', fault: 'bad-xml' })
    expect(badXml.status).toBe(400)
    expect(health()?.error).toContain('XML')
    expect(r.app.store.passages.latest(50).length).toBe(before)
  })

  it('a picture that is not a JPEG: the passage is kept without it, with a warning in the reply and the health', async () => {
    const reply = await r.control('/sim/plate', { plate: '豫A00005', fault: 'not-jpeg' })
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body).warnings.join('')).toContain('JPEG')
    expect(r.passage('豫A00005')).toMatchObject({ photoCount: 0 })
    expect(health()).toMatchObject({ status: 'error', error: expect.stringContaining('JPEG') })
    // Let that truck through so the lane is free for the next one.
    await eventually('arm up', async () => ((await r.control('/sim/state')).arm === 'up' ? true : undefined))
    await r.control('/sim/truck', { loopMs: 200 })
    await eventually('passage closed', () => (r.passage('豫A00005')?.gateSignal ? true : undefined))
  })

  it('the JSON variant of the alert is taken and a good push clears the health', async () => {
    const reply = await r.control('/sim/plate', { plate: '豫A00006', format: 'json', colour: 'green' })
    expect(reply.status).toBe(200)
    expect(r.passage('豫A00006')).toMatchObject({ plateColour: '4', photoCount: 2 })
    expect(health()).toMatchObject({ status: 'online' })
  })

  it('a camera refusing our credentials (401) is an error in the barrier health', async () => {
    await r.control('/sim/fault', { mode: 'refuse-auth' })
    await eventually('barrier health error', () => (r.app.devices.list().find((d) => d.id === 'in1/barrier')?.error?.includes('拒绝认证') ? true : undefined))
    await r.control('/sim/fault', { mode: 'none' })
  })

  it('a camera answering garbage is an error, one hanging up is offline; the lane sees the arm as unknown, and both clear', async () => {
    const barrier = () => r.app.devices.list().find((d) => d.id === 'in1/barrier')
    await r.control('/sim/fault', { mode: 'garbage' })
    await eventually('garbage reported', () => (barrier()?.status === 'error' && barrier()?.error?.includes('XML') ? true : undefined))
    expect(r.app.lanes.state('in1').barrier).toMatchObject({ arm: 'unknown', loopOccupied: null })
    await r.control('/sim/fault', { mode: 'disconnect' })
    await eventually('hang-up reported', () => (barrier()?.status === 'offline' ? true : undefined))
    await r.control('/sim/fault', { mode: 'none' })
    await eventually('back online', () => (barrier()?.status === 'online' ? true : undefined))
  })
})

describe('ONVIF relay output (DeviceIO SetRelayOutputState) as the barrier', () => {
  let camera: RunningProcess
  beforeAll(async () => {
    camera = await startProcess('sim-onvif.js', ['--no-discovery'], { SIM_ONVIF_PASSWORD: 'admin123' }, /onvif-sim listening /)
  })
  afterAll(() => stopProcess(camera))

  const relayState = async () => (await postJson(`${new URL(camera.url).origin}/admin/state`, {})).body as { relayLog: { token: string; state: string }[] }
  const barrierOf = (passwordEnv: string) => cameraBarrier.create({ id: 'in1/barrier', laneId: 'in1' }, cameraBarrier.config.parse({ kind: 'camera', brand: 'onvif', url: camera.url, passwordEnv, pollMs: 50 }))

  it('open sets the relay active through the DeviceIO service with a WS-UsernameToken; the arm counts as raised once acknowledged', async () => {
    const barrier = barrierOf(PASSWORD_ENV)
    try {
      await barrier.open()
      expect((await relayState()).relayLog).toContainEqual(expect.objectContaining({ token: 'RelayOutput_1', state: 'active' }))
      expect(barrier.signals()).toMatchObject({ arm: 'up', loopOccupied: null })
      expect(barrier.health().status).toBe('online')
    } finally {
      await barrier.stop()
    }
  })

  it('a wrong password is refused: the open rejects with the reason and the health says so', async () => {
    process.env.CAMERA_BARRIER_WRONG_PASSWORD = 'guess'
    const barrier = barrierOf('CAMERA_BARRIER_WRONG_PASSWORD')
    try {
      await expect(barrier.open()).rejects.toThrow('拒绝认证')
      expect(barrier.health()).toMatchObject({ status: 'error', error: expect.stringContaining('拒绝认证') })
    } finally {
      await barrier.stop()
    }
  })
})

for (const brand of ['hikvision', 'dahua', 'vzenith'] as const) {
  describe(`commissioning a ${brand} camera barrier (npm run commission)`, () => {
    let camera: RunningProcess
    let address: string
    beforeAll(async () => {
      if (brand === 'vzenith') {
        camera = await startProcess('sim-vzenith-rs485.js', ['--serial', 'tcp://127.0.0.1:0', '--push-url', 'http://127.0.0.1:9/lpr/in1', '--travel-ms', '100'], {}, /vzenith-rs485-sim control /)
        address = /-sim serial (\S+)/.exec(camera.output())![1]!
      } else {
        camera = await startProcess(`sim-${brand}.js`, ['--push-url', 'http://127.0.0.1:9/lpr/in1', '--travel-ms', '100'], { SIM_CAMERA_PASSWORD: 'admin123' }, new RegExp(`${brand}-sim listening `))
        address = camera.url
      }
    })
    afterAll(() => stopProcess(camera))

    const commission = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [join(repoRoot, 'out/main/commission.js'), address, ...args, '--kind', 'camera', '--brand', brand, '--password-env', PASSWORD_ENV], { stdio: ['ignore', 'pipe', 'pipe'] })
        let stdout = ''
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        child.once('exit', (code) => resolve({ code, stdout }))
      })
    const simState = async () => (brand === 'vzenith' ? (await fetch(`${camera.url}/state`)).json() : (await fetch(`${camera.url}/sim/state`)).json()) as Promise<{ commands: unknown[] }>

    it('opens the barrier through the camera and reads the camera\'s last plate', async () => {
      const opened = await commission(['open-barrier', '--watch-ms', '500'])
      expect(opened.stdout).toContain('open-barrier: acknowledged')
      expect(opened.stdout).toContain('commission/barrier: online')
      expect((await simState()).commands).toContainEqual(expect.objectContaining({ command: 'open' }))

      await postJson(brand === 'vzenith' ? `${camera.url}/plate` : `${camera.url}/sim/plate`, { plate: '豫A12345' })
      const last = await commission(['last-plate'])
      expect(last).toMatchObject({ code: 0, stdout: expect.stringContaining('last plate: 豫A12345') })
    })
  })
}
