import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alarm, EventName, LaneState, Passage, PlateCorrectionResult } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import type { CallContext } from '../../src/main/core/api'
import { commands } from '../../src/shared/contract'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { simControl, simState, startSimOnPty, type SimOnPty } from './serial-support'
import { CAMERA_PASSWORD, CAMERA_USER, startSimCamera, stopSimCamera, type SimCamera } from './onvif-support'
import { vehicle } from './platform-fixtures'
import { ADMIN_CONTEXT, eventually, GUARD_CONTEXT, postJson, tempDir, tinyJpeg } from './support'

/**
 * Whole lane scenarios against the platform simulator, a real SQLite file and real devices: lanes in1 (entry) and
 * out1 (exit) each have a Modbus RTU barrier controller simulator on a socat pty pair (started once for the file;
 * trucks and forced passes are driven through its control endpoint), in1 also an LED display simulator (0x64
 * protocol) and an ONVIF camera simulator (snapshots of forced passes); in2 (entry) has no devices, for the pure
 * decisions.
 */
let sim: PlatformSim
let app: SingleGate
let published: { event: EventName; payload: unknown }[]
let appOptions: Parameters<typeof startSingleGate>[0]
const devices: { barriers: Record<'in1' | 'out1', SimOnPty>; led: SimOnPty; camera: SimCamera } = {} as never
/** Each barrier simulator's open count when the test started. */
let opensBefore: Record<string, number>

const guard: CallContext = { actor: { userId: 'g1', name: '张三', role: 'guard' } }
const admin: CallContext = { actor: { userId: 'a1', name: '李主管', role: 'admin' } }

/** A logged-in caller with the least role the command needs (the contract's role of the command). */
function leastRole(command: string): CallContext {
  return commands[command as keyof typeof commands]?.role === 'admin' ? ADMIN_CONTEXT : GUARD_CONTEXT
}

async function call<T>(command: string, input: unknown, context: CallContext = leastRole(command)): Promise<T> {
  const reply = await app.router.dispatch(command, input, context)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.code} ${reply.error.message}`)
  return reply.result as T
}

async function failure(command: string, input: unknown, context: CallContext = leastRole(command)) {
  const reply = await app.router.dispatch(command, input, context)
  if (reply.ok) throw new Error(`${command} unexpectedly succeeded`)
  return reply.error
}

const submit = (laneId: string, plate: string, colour = '1') => call<Passage>('plate.submit', { laneId, plate, colour })
const passage = (id: number) => app.store.passages.get(id)!
const laneState = (laneId: string) => app.lanes.state(laneId)
const drivingRecords = (lsh: string) => sim.requests().filter((r) => r.ipctype === 'shareDrivingRecord' && r.value?.lsh === lsh && r.reply?.code === '200')
const barrierSim = (laneId: string) => devices.barriers[laneId as 'in1' | 'out1'].sim
/** Open commands the barrier controller of `laneId` obeyed during this test. */
const opens = async (laneId: string) => (await simState(barrierSim(laneId))).opens - opensBefore[laneId]!
/** The controller obeyed exactly `count` opens (the command goes out on the wire after the decision). */
async function expectOpens(laneId: string, count: number): Promise<void> {
  await eventually(`${count} open(s) on ${laneId}`, async () => ((await opens(laneId)) >= count ? true : undefined))
  expect(await opens(laneId)).toBe(count)
}

async function uploaded(id: number): Promise<Passage> {
  return eventually(`passage ${id} uploaded`, () => (passage(id).upload === 'uploaded' ? passage(id) : undefined))
}

async function phase(laneId: string, expected: LaneState['phase']): Promise<LaneState> {
  return eventually(`lane ${laneId} ${expected}`, () => (laneState(laneId).phase === expected ? laneState(laneId) : undefined))
}

/** The truck drives over the loop once the controller has the arm up and the lane has seen it. */
async function drivesThrough(laneId: string): Promise<void> {
  await eventually(`arm up on ${laneId}`, async () => ((await simState(barrierSim(laneId))).arm === 'up' && laneState(laneId).barrier?.arm === 'up' ? true : undefined))
  await simControl(barrierSim(laneId), 'truck')
}

/** A vehicle crosses the loop of `laneId` with the arm down (闯岗). */
async function forcesThrough(laneId: string): Promise<void> {
  await simControl(barrierSim(laneId), 'force-pass')
}

async function simAdmin(path: string, method: string, body: unknown): Promise<void> {
  await fetch(`${sim.url}/__sim/${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
}

const barrierArgs = ['--travel-ms', '100', '--loop-ms', '200']
// Generous timeouts: the machine is shared and busy; a slow answer must not read as a device going offline.
const serialTiming = { baudRate: 9600, timeoutMs: 1_000, retries: 2, pollMs: 30, reconnectMs: 100 }

beforeAll(async () => {
  const [in1, out1, led, camera] = await Promise.all([
    startSimOnPty('barrier', barrierArgs),
    startSimOnPty('barrier', barrierArgs),
    startSimOnPty('led'),
    startSimCamera({ lane: '1号入口' })
  ])
  devices.barriers = { in1, out1 }
  devices.led = led
  devices.camera = camera
})

afterAll(async () => {
  await Promise.all([devices.barriers.in1.stop(), devices.barriers.out1.stop(), devices.led.stop(), stopSimCamera(devices.camera)])
})

beforeEach(async () => {
  // The controllers outlive each test's booth: answering again, arm down, loop clear.
  for (const laneId of ['in1', 'out1']) {
    await simControl(barrierSim(laneId), 'silent', { on: false })
    await simControl(barrierSim(laneId), 'lower')
  }
  opensBefore = {}
  for (const laneId of ['in1', 'out1']) {
    const state = await eventually(`${laneId} arm down`, async () => {
      const state = await simState(barrierSim(laneId))
      return state.arm === 'down' && !state.loopOccupied ? state : undefined
    })
    opensBefore[laneId] = state.opens
  }
  sim = await startPlatformSim({
    ...DEMO_PLATFORM,
    port: 0,
    vehicles: { ...demoVehicles, '豫A40004|1': { isControl: '0', controlReason: '', emissionStandard: '4', fuelType: 'B' } }
  })
  const dataDir = tempDir('lane')
  const base = demoConfig({ dataDir, platformBaseUrl: sim.baseUrl, hostPort: 0, lprPort: 0 })
  const barrier = (laneId: 'in1' | 'out1') => ({ kind: 'modbus-rtu', path: devices.barriers[laneId].pty.booth, ...serialTiming })
  const config = parseConfig(
    {
      ...base,
      lanes: [
        {
          ...base.lanes[0]!,
          camera: { kind: 'onvif', url: devices.camera.url, username: CAMERA_USER, passwordEnv: 'LANE_TEST_CAMERA_PASSWORD' },
          barrier: barrier('in1'),
          display: { kind: 'led', protocol: '0x64', path: devices.led.pty.booth, baudRate: 9600, timeoutMs: 1_000, reconnectMs: 100 }
        },
        { ...base.lanes[1]!, barrier: barrier('out1') },
        // in2's camera re-sends reads from its offline store hours later, with their own times: trusted up to 4 h off.
        { id: 'in2', name: '2号入口', gateCode: '03', direction: 'in', camera: { kind: 'lpr-push', maxClockSkewMs: 4 * 3600_000 } }
      ],
      sync: { intervalMs: 100, maxBackoffMs: 200 },
      laneTiming: { dedupWindowMs: 500, openTimeoutMs: 3_000, decisionHoldMs: 1_500, passTimeoutMs: 5_000, dwellAlarmMinutes: 60, repeatedRefusals: 3, deviceOfflineAlarmMs: 500 }
    },
    dataDir
  )
  published = []
  appOptions = { config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {}, secrets: { LANE_TEST_CAMERA_PASSWORD: CAMERA_PASSWORD } }
  app = await startSingleGate(appOptions)
  app.events.subscribe((event, payload) => published.push({ event, payload }))
  // The lanes start once the controllers have answered: arm down, loop clear.
  for (const laneId of ['in1', 'out1']) await eventually(`${laneId} barrier seen`, () => (laneState(laneId).barrier?.arm === 'down' ? true : undefined))
})

afterEach(async () => {
  await app.close()
  await sim.close()
})

describe('allow', () => {
  it('opens the barrier, holds the upload until the truck has passed, then uploads bgzt 1', async () => {
    const recorded = await submit('in1', '豫A12345')
    expect(recorded).toMatchObject({ decision: 'allow', reasonCode: 'platform_allow', decidedOffline: false, upload: 'pending' })
    await expectOpens('in1', 1)
    expect(laneState('in1')).toMatchObject({ phase: 'barrier_open', current: { plate: '豫A12345', decision: 'allow', passageId: recorded.id } })

    // Nothing goes out while the barrier outcome is unknown: bgzt must be true.
    await app.sync.idle()
    expect(drivingRecords(recorded.lsh)).toHaveLength(0)

    await drivesThrough('in1')
    await phase('in1', 'idle')
    const done = await uploaded(recorded.id)
    expect(done).toMatchObject({ bgzt: '1', gateSignal: '0', forced: false })
    expect(drivingRecords(recorded.lsh)).toHaveLength(1)
    expect(drivingRecords(recorded.lsh)[0]!.value).toMatchObject({ bgzt: '1', tgzt: '1', tgsjq: done.tgsjq, tgsjz: done.tgsjz })
    const phases = published
      .filter((p) => p.event === 'lane.state' && (p.payload as LaneState).laneId === 'in1')
      .map((p) => (p.payload as LaneState).phase)
      .filter((phase, i, all) => phase !== all[i - 1])
    // Before the read the lane published only barrier signals (idle).
    expect(phases.slice(phases.indexOf('verifying'))).toEqual(['verifying', 'barrier_open', 'passing', 'idle'])
  })

  it('arm raised but no truck: closes at the open timeout as raised-not-passed (bgzt 0, gateSignal 2)', async () => {
    const recorded = await submit('in1', '豫A12346')
    await phase('in1', 'idle')
    const done = await uploaded(recorded.id)
    expect(done).toMatchObject({ bgzt: '0', gateSignal: '2' })
    expect(drivingRecords(recorded.lsh)[0]!.value).toMatchObject({ bgzt: '0' })
  })
})

describe('the LED display shows what the lane decided', () => {
  /** The simulator's decoded lines once they read `expected` (the yellow 正在核验 comes first). */
  async function shown(expected: { text: string; colour: string }[]) {
    const lines = await eventually(`LED shows ${expected.map((l) => l.text).join(' / ')}`, async () => {
      const lines = ((await simState(devices.led.sim)).lines as ({ text: string; colour: string } | null)[]).map((line) => line && { text: line.text, colour: line.colour })
      return JSON.stringify(lines.slice(0, expected.length)) === JSON.stringify(expected) ? lines : undefined
    })
    // Lines the message does not use are blank.
    expect(lines.slice(expected.length)).toEqual([null, null])
  }
  /** What the display last spoke, once it is `expected` (the voice goes out after the lines). */
  const spoken = (expected: string) => eventually(`LED speaks ${expected}`, async () => ((await simState(devices.led.sim)).voice.at(-1) === expected ? true : undefined))

  it('allow: the plate and 请通行 in green; refuse: the plate and 禁止通行 in red, spoken too', async () => {
    const allowed = await submit('in1', '豫A12348')
    expect(allowed.decision).toBe('allow')
    await shown([
      { text: '豫A12348', colour: 'green' },
      { text: '请通行', colour: 'green' }
    ])
    await spoken('豫A12348，请通行')
    await drivesThrough('in1')
    await phase('in1', 'idle')

    const refused = await submit('in1', '豫A00003')
    expect(refused).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control' })
    await shown([
      { text: '豫A00003', colour: 'red' },
      { text: '禁止通行', colour: 'red' }
    ])
    await spoken('豫A00003，禁止通行')
    expect(app.devices.list().find((d) => d.id === 'in1/display')).toMatchObject({ status: 'online', error: null })
  })
})

describe('a booth stopped mid-passage', () => {
  it('releases the held uploads at the next start, as recorded (bgzt 0): nothing is lost', async () => {
    const recorded = await submit('in1', '豫A12347')
    await app.sync.idle()
    expect(drivingRecords(recorded.lsh)).toHaveLength(0)
    await app.close()
    app = await startSingleGate(appOptions)
    const done = await uploaded(recorded.id)
    expect(done).toMatchObject({ bgzt: '0', gateSignal: null })
    expect(drivingRecords(recorded.lsh)).toHaveLength(1)
  })
})

describe('refuse', () => {
  it('keeps the arm down for a controlled truck, holds it for the guard, then records bgzt 0 (not raised)', async () => {
    const recorded = await submit('in1', '豫A00003')
    expect(recorded).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control' })
    expect(recorded.reasonText).toContain('橙色预警')
    expect(laneState('in1')).toMatchObject({ phase: 'decided', current: { decision: 'refuse' } })
    await phase('in1', 'idle')
    expect(await opens('in1')).toBe(0)
    const done = await uploaded(recorded.id)
    expect(done).toMatchObject({ bgzt: '0', gateSignal: '1' })
    expect(drivingRecords(recorded.lsh)[0]!.value).toMatchObject({ bgzt: '0', tgzt: '1' })
  })

  it('the guard refuses by hand: audit row with the actor, passage closed at once', async () => {
    const recorded = await submit('in1', '豫A00004')
    const state = await call<LaneState>('lane.refuse', { laneId: 'in1', note: '司机拒不配合', passageId: recorded.id }, guard)
    expect(state.phase).toBe('idle')
    expect(passage(recorded.id)).toMatchObject({ decision: 'refuse', reasonCode: 'manual_refuse', gateSignal: '1' })
    expect(app.store.manualActions.latest(1)[0]).toMatchObject({ action: 'refuse', actorName: '张三', actorId: 'g1', passageId: recorded.id, note: '司机拒不配合' })
  })
})

describe('offline decision', () => {
  it('decides from the cache, the in-plant ledger, the local lists; marks each decided offline; uploads later', async () => {
    // Verified online once, on another lane (the same plate again on in2 this soon would be a duplicate read).
    await submit('in1', '豫A00005')
    await drivesThrough('in1')
    await call('localLists.add', { kind: 'white', plate: '豫e 88888', note: '厂区班车' })
    await call('localLists.add', { kind: 'black', plate: '豫A99999', note: '' })
    // Filed in the in-plant ledger as an admin would (the fixture's filing minus what the booth fills in itself).
    const { companySecretCode: _secret, drivingLicenseImg2: _noList, ...filing } = vehicle
    await call('innerVehicles.save', { ...filing, license: '豫A77001', licenseColor: '1', emissionStandard: '6', carStatus: '1' })
    await simAdmin('fault', 'POST', { mode: 'down' })

    const cached = await submit('in2', '豫A00005')
    const white = await submit('in2', '豫E88888')
    const inner = await submit('in2', '豫A77001')
    const black = await submit('in2', '豫A99999')
    const unknown = await submit('in2', '豫B54321')
    expect([cached, white, inner, black, unknown].map((p) => [p.reasonCode, p.decision, p.decidedOffline])).toEqual([
      ['cache_allow', 'allow', true],
      ['local_whitelist', 'allow', true],
      ['inner_vehicle', 'allow', true],
      ['local_blacklist', 'refuse', true],
      ['no_verdict', 'guard', true]
    ])
    expect(white.reasonText).toContain('离线')

    await simAdmin('fault', 'POST', { mode: 'none' })
    for (const p of [cached, white, inner, black, unknown]) await uploaded(p.id)
  })

  it('an exit of a truck the guard let in during the outage is allowed offline (no cache: known inside)', async () => {
    await simAdmin('fault', 'POST', { mode: 'down' })
    const entering = await submit('in1', '豫A31313')
    expect(entering).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict' })
    await call('lane.release', { laneId: 'in1', reason: 'platform_down', note: '', passageId: entering.id }, guard)
    await drivesThrough('in1')
    await eventually('entry passed', () => (passage(entering.id).bgzt === '1' ? true : undefined))

    const stranger = await submit('out1', '豫A41414')
    expect(stranger).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict' })
    await call('lane.refuse', { laneId: 'out1', note: '', passageId: stranger.id })
    const leaving = await submit('out1', '豫A31313')
    expect(leaving).toMatchObject({ decision: 'allow', reasonCode: 'exit_known_inside', decidedOffline: true })
  })
})

describe('duplicate reads and queues', () => {
  it('merges repeated camera reads of one truck into one passage', async () => {
    const pushes = []
    for (let i = 0; i < 4; i++) pushes.push(await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A55555', colour: '1' }))
    expect(pushes.map((p) => p.status)).toEqual([201, 201, 201, 201])
    expect(pushes.map((p) => p.body.outcome)).toEqual(['recorded', 'merged', 'merged', 'merged'])
    expect(new Set(pushes.map((p) => p.body.lsh)).size).toBe(1)
    expect(app.store.passages.latest(10)).toHaveLength(1)
    expect(sim.requests().filter((r) => r.ipctype === 'getCheckVehicle')).toHaveLength(1)
  })

  it('queues a second truck while the first is in the lane and handles it after: two passages, two barrier cycles', async () => {
    const first = await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A10001', colour: '1', images: { front: tinyJpeg(3000).toString('base64') } })
    const second = await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A10002', colour: '1', images: { front: tinyJpeg(3000).toString('base64') } })
    expect(first.status).toBe(201)
    expect(second).toMatchObject({ status: 202, body: { outcome: 'queued' } })
    const secondAgain = await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A10002', colour: '1' })
    expect(secondAgain).toMatchObject({ status: 202, body: { outcome: 'merged' } })
    expect(laneState('in1')).toMatchObject({ phase: 'barrier_open', queued: 1, current: { plate: '豫A10001' } })

    await drivesThrough('in1')
    await eventually('second truck decided', () => (laneState('in1').current?.plate === '豫A10002' && laneState('in1').phase === 'barrier_open' ? true : undefined))
    await drivesThrough('in1')
    await phase('in1', 'idle')

    const passages = app.store.passages.latest(10)
    expect(passages.map((p) => p.plate).sort()).toEqual(['豫A10001', '豫A10002'])
    await expectOpens('in1', 2)
    for (const p of passages) {
      const done = await uploaded(p.id)
      expect(done).toMatchObject({ bgzt: '1', photoCount: 1 })
    }
  })
})

describe('forced pass (闯岗)', () => {
  it('a refused truck crossing the loop with the arm down: passage forced, photos zplx 3, alarm 07, uploaded', async () => {
    const pushed = await postJson(`${app.lpr.url}/lpr/in1`, {
      plate: '豫A00003',
      colour: '1',
      images: { front: tinyJpeg(3000).toString('base64'), rear: tinyJpeg(3100).toString('base64') }
    })
    expect(pushed.body.decision).toBe('refuse')
    const id = app.store.passages.latest(1)[0]!.id
    await forcesThrough('in1')

    await phase('in1', 'idle')
    const done = await uploaded(id)
    expect(done).toMatchObject({ forced: true, bgzt: '0', gateSignal: '1', photoCount: 2 })
    const photos = sim.requests().filter((r) => r.ipctype === 'sharePhotoInfo' && r.value?.lsh === done.lsh)
    expect(photos.map((r) => [r.value?.zpbh, r.value?.zplx]).sort()).toEqual([
      ['1', '3'],
      ['2', '3']
    ])
    const alarms = await call<Alarm[]>('alarms.list', { openOnly: true })
    expect(alarms).toEqual([expect.objectContaining({ kind: 'forced_pass', warningType: '07', laneId: 'in1', plate: '豫A00003' })])
    expect(published.some((p) => p.event === 'alarm.raised' && (p.payload as Alarm).kind === 'forced_pass')).toBe(true)

    const acked = await call<Alarm>('alarms.ack', { id: alarms[0]!.id, note: '已通知保卫科' }, guard)
    expect(acked).toMatchObject({ acknowledgedBy: '张三', note: '已通知保卫科' })
    expect(published.filter((p) => p.event === 'alarm.updated').map((p) => (p.payload as Alarm).id)).toEqual([acked.id])
    expect(await call<Alarm[]>('alarms.list', { openOnly: true })).toEqual([])
  })

  it('a vehicle over the loop of an idle lane: alarm 07 at once, a 未识别 passage recorded as forced with the camera snapshot (zplx 3), uploaded once', async () => {
    await eventually('camera online', () => (app.devices.list().find((d) => d.id === 'in1/camera')?.status === 'online' ? true : undefined))
    await forcesThrough('in1')
    const alarms = await eventually('forced-pass alarm', async () => {
      const open = await call<Alarm[]>('alarms.list', { openOnly: true })
      return open.length > 0 ? open : undefined
    })
    expect(alarms).toEqual([expect.objectContaining({ kind: 'forced_pass', warningType: '07', plate: null, laneId: 'in1' })])
    const recorded = await eventually('forced passage', () => app.store.passages.latest(5).find((p) => p.forced))
    expect(recorded).toMatchObject({ laneId: 'in1', plate: '未识别', plateColour: '5', forced: true, bgzt: '0', gateSignal: '1', photoCount: 1, reasonCode: 'forced_unread' })
    // The alarm is tied to the passage once recorded, so the board shows its photo beside it.
    await eventually('alarm tied to its passage', () =>
      published.some((p) => p.event === 'alarm.updated' && (p.payload as Alarm).id === alarms[0]!.id && (p.payload as Alarm).passageId === recorded.id) ? true : undefined
    )
    const done = await uploaded(recorded.id)
    await app.sync.idle()
    const sent = (ipctype: string) => sim.requests().filter((r) => r.ipctype === ipctype && r.value?.lsh === done.lsh)
    expect(sent('shareDrivingRecord').map((r) => [r.value?.cphm, r.value?.cpys, r.value?.bgzt, r.reply?.code])).toEqual([['未识别', '5', '0', '200']])
    expect(sent('sharePhotoInfo').map((r) => [r.value?.zpbh, r.value?.zplx, r.reply?.code])).toEqual([['1', '3', '200']])
    expect(await opens('in1')).toBe(0)
    expect(laneState('in1').phase).toBe('idle')
  })

  it('on a lane without a camera the forced pass is recorded and uploaded without photos', async () => {
    await forcesThrough('out1')
    const recorded = await eventually('forced passage', () => app.store.passages.latest(5).find((p) => p.forced))
    expect(recorded).toMatchObject({ laneId: 'out1', plate: '未识别', forced: true, gateSignal: '1', photoCount: 0 })
    const done = await uploaded(recorded.id)
    expect(drivingRecords(done.lsh)).toHaveLength(1)
    expect((await call<Alarm[]>('alarms.list', {})).map((a) => [a.kind, a.laneId])).toEqual([['forced_pass', 'out1']])
  })
})

describe('manual release during a red-level control', () => {
  it('refuses a 国四 diesel truck, demands the violation confirmation, then releases and audits it', async () => {
    const measures = await call('controlMeasures.set', { level: '3', area: '1', strategy: '2', enterpriseType: '3', measures: '3', note: '红色预警' }, admin)
    expect(measures).toMatchObject({ level: '3', strategy: '2', updatedBy: '李主管' })

    const recorded = await submit('in1', '豫A40004')
    expect(recorded).toMatchObject({ decision: 'refuse', reasonCode: 'measure_emission_ban' })
    expect(recorded.reasonText).toContain('红色管控期间')

    const refused = await failure('lane.release', { laneId: 'in1', reason: 'leader_approved', note: '', passageId: recorded.id }, guard)
    expect(refused.code).toBe('invalid_input')
    expect(refused.message).toMatch(/违规/)
    expect(await opens('in1')).toBe(0)

    const other = await failure('lane.release', { laneId: 'in1', reason: 'other', note: '', passageId: recorded.id }, guard)
    expect(other.message).toMatch(/其他/)

    const state = await call<LaneState>('lane.release', { laneId: 'in1', reason: 'leader_approved', note: '王厂长电话批准', confirmViolation: true, passageId: recorded.id }, guard)
    expect(state).toMatchObject({ phase: 'barrier_open', current: { decision: 'allow', reasonCode: 'manual_release' } })
    await drivesThrough('in1')
    await expectOpens('in1', 1)
    const done = await uploaded(recorded.id)
    expect(done).toMatchObject({ decision: 'allow', reasonCode: 'manual_release_violation', bgzt: '1' })
    expect(done.reasonText).toContain('张三')
    expect(app.store.manualActions.latest(5).find((a) => a.action === 'release')).toMatchObject({
      actorName: '张三',
      reason: 'leader_approved',
      note: '王厂长电话批准',
      violation: true,
      passageId: recorded.id
    })
  })

  it('without a login a release is refused, the truck stays held and nothing is audited; the audit table refuses edits', async () => {
    const held = await submit('in1', '豫A00004')
    expect(held.decision).toBe('refuse')
    const auditBefore = app.store.manualActions.latest(1)
    const release = { laneId: 'in1', reason: 'misread', note: '', confirmViolation: true, passageId: held.id }
    expect(await failure('lane.release', release, { actor: null })).toMatchObject({ code: 'unauthenticated' })
    expect(app.store.manualActions.latest(1)).toEqual(auditBefore)
    expect(laneState('in1').current).toMatchObject({ plate: '豫A00004', decision: 'refuse' })
    expect(await opens('in1')).toBe(0)
    await call('lane.release', release, guard)
    expect(app.store.manualActions.latest(1)[0]).toMatchObject({ actorName: '张三', actorId: 'g1' })
    expect(() => app.store.db.prepare(`UPDATE manual_actions SET actor_name = 'x'`).run()).toThrow(/append-only/)
    expect(() => app.store.db.prepare(`DELETE FROM manual_actions`).run()).toThrow(/append-only/)
  })
})

describe("the admin's lane settings", () => {
  it('二次确认 holds an allowed truck until the guard confirms; goods before exit keeps the barrier down until goods are recorded', async () => {
    await call('laneSettings.set', { laneId: 'in1', allowedColours: [], confirmEveryOpening: true, goodsBeforeExit: false }, admin)
    await call('laneSettings.set', { laneId: 'out1', allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: true }, admin)
    expect(await failure('laneSettings.set', { laneId: 'in1', allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: true }, admin)).toMatchObject({ code: 'invalid_input' })

    const entering = await submit('in1', '豫A00005')
    expect(entering).toMatchObject({ decision: 'guard', reasonCode: 'lane_confirm_each' })
    expect(laneState('in1')).toMatchObject({ phase: 'decided' })
    expect(await opens('in1')).toBe(0)
    await call('lane.release', { laneId: 'in1', reason: 'other', note: '值班员确认', passageId: entering.id }, guard)
    await drivesThrough('in1')
    await expectOpens('in1', 1)
    await eventually('entry passed', () => (passage(entering.id).bgzt === '1' ? true : undefined))

    const leaving = await submit('out1', '豫A00005')
    expect(leaving).toMatchObject({ decision: 'guard', reasonCode: 'lane_goods_missing' })
    const early = await failure('lane.release', { laneId: 'out1', reason: 'other', note: '先放行', passageId: leaving.id }, guard)
    expect(early).toMatchObject({ code: 'invalid_input' })
    expect(early.message).toContain('尚未登记货物')
    expect(await opens('out1')).toBe(0)

    await call('goods.record', { passageId: entering.id, hwmc: '焦炭', ysl: '30' }, guard)
    await call('lane.release', { laneId: 'out1', reason: 'other', note: '货物已登记', passageId: leaving.id }, guard)
    await drivesThrough('out1')
    await expectOpens('out1', 1)

    // With goods on file the next exit of a truck is not held for them.
    const next = await submit('in1', '豫A40004')
    await call('lane.release', { laneId: 'in1', reason: 'other', note: '值班员确认', passageId: next.id }, guard)
    await drivesThrough('in1')
    await eventually('second entry passed', () => (passage(next.id).bgzt === '1' ? true : undefined))
    await call('goods.record', { passageId: next.id, hwmc: '铁矿石', ysl: '20' }, guard)
    expect(await submit('out1', '豫A40004')).toMatchObject({ decision: 'allow', reasonCode: 'platform_allow' })
  })
})

describe('plate correction', () => {
  it('uploads the corrected plate when the record has not gone out; keeps both plates', async () => {
    const recorded = await submit('in1', '豫A8888B')
    const result = await call<PlateCorrectionResult>('passage.correctPlate', { passageId: recorded.id, plate: '豫A88886', colour: '1' }, guard)
    expect(result).toMatchObject({ uploadedPlate: 'corrected', passage: { plate: '豫A88886', originalPlate: '豫A8888B', originalPlateColour: '1' } })
    // The truck in the lane now carries the corrected plate: a camera read of it is the same truck.
    expect(laneState('in1').current?.plate).toBe('豫A88886')
    const reread = await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A88886', colour: '1' })
    expect(reread.body).toMatchObject({ outcome: 'merged', lsh: recorded.lsh })
    await drivesThrough('in1')
    const done = await uploaded(recorded.id)
    expect(drivingRecords(done.lsh).map((r) => r.value?.cphm)).toEqual(['豫A88886'])
    expect(app.store.manualActions.latest(1)[0]).toMatchObject({ action: 'correct_plate', actorName: '张三', details: { uploadedPlate: 'corrected' } })
  })

  it('after the upload: the platform keeps the original plate, the booth keeps both and says so', async () => {
    const recorded = await submit('in2', '豫A6666B')
    await uploaded(recorded.id)
    const result = await call<PlateCorrectionResult>('passage.correctPlate', { passageId: recorded.id, plate: '豫A66668', colour: '1' })
    expect(result.uploadedPlate).toBe('original')
    expect(result.message).toMatch(/平台保留原车牌/)
    expect(result.passage).toMatchObject({ plate: '豫A66668', originalPlate: '豫A6666B' })
    expect(drivingRecords(recorded.lsh).map((r) => r.value?.cphm)).toEqual(['豫A6666B'])
  })

  it('refuses an unknown passage and a "correction" to the same plate', async () => {
    expect(await failure('passage.correctPlate', { passageId: 999, plate: '豫A12345', colour: '1' })).toMatchObject({ code: 'not_found' })
    const recorded = await submit('in2', '豫A12345')
    expect(await failure('passage.correctPlate', { passageId: recorded.id, plate: '豫a12345', colour: '1' })).toMatchObject({ code: 'invalid_input' })
  })
})

describe('alarms', () => {
  it('repeated refusals of one plate raise one alarm until acknowledged', async () => {
    for (let i = 0; i < 4; i++) {
      const refused = await submit('in2', '豫A00003')
      // in2 has no barrier of ours: the refused truck is held for the guard, who sends it away.
      await call('lane.refuse', { laneId: 'in2', note: '', passageId: refused.id })
      // Past the dedup window: each read is a new attempt.
      await new Promise((r) => setTimeout(r, 600))
    }
    const alarms = (await call<Alarm[]>('alarms.list', {})).filter((a) => a.kind === 'repeated_refusal')
    expect(alarms).toHaveLength(1)
    expect(alarms[0]).toMatchObject({ plate: '豫A00003', laneId: 'in2' })
    expect(alarms[0]!.message).toMatch(/被拒绝 3 次/)
  })

  it('a truck inside longer than the dwell limit raises B7.5 09 once', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString()
    const pushed = await postJson(`${app.lpr.url}/lpr/in2`, { plate: '豫A20202', colour: '1', recognizedAt: threeHoursAgo })
    expect(pushed.body.decision).toBe('allow')
    expect(app.alarms.checkDwell()).toEqual([expect.objectContaining({ kind: 'dwell_overtime', warningType: '09', plate: '豫A20202' })])
    expect(app.alarms.checkDwell()).toEqual([])
  })

  it('a barrier controller that stops answering raises device_offline through the registry, once until acknowledged', async () => {
    const offline = async () => {
      await simControl(barrierSim('out1'), 'silent', { on: true })
      return eventually('device_offline alarm', async () => {
        const open = (await call<Alarm[]>('alarms.list', { openOnly: true })).filter((a) => a.kind === 'device_offline')
        return open.length > 0 ? open : undefined
      })
    }
    const alarms = await offline()
    expect(alarms).toEqual([expect.objectContaining({ kind: 'device_offline', laneId: 'out1' })])
    expect(alarms[0]!.message).toBe('道闸离线：无应答')
    expect(published.some((p) => p.event === 'device.health' && (p.payload as { id: string; status: string }).status === 'offline')).toBe(true)
    // Still silent: the adapter keeps failing, the alarm stays one.
    await eventually('several failed polls', () => (app.devices.list().find((d) => d.id === 'out1/barrier')?.status === 'offline' ? true : undefined))
    expect((await call<Alarm[]>('alarms.list', {})).filter((a) => a.kind === 'device_offline')).toHaveLength(1)

    // An acknowledgement needs a note: an empty one is refused and the alarm stays open.
    expect(await failure('alarms.ack', { id: alarms[0]!.id, note: '' })).toMatchObject({ code: 'invalid_input' })
    expect((await call<Alarm[]>('alarms.list', { openOnly: true })).map((a) => a.id)).toContain(alarms[0]!.id)
    await call('alarms.ack', { id: alarms[0]!.id, note: '已通知维修' })
    // Acknowledged is not resolved: the controller is still silent, so the alarm stays open until it answers again.
    expect(await call<Alarm[]>('alarms.list', { openOnly: true })).toEqual([expect.objectContaining({ id: alarms[0]!.id, acknowledgedBy: '测试门卫', resolvedAt: null })])
    await simControl(barrierSim('out1'), 'silent', { on: false })
    await eventually('online again', () => (app.devices.list().find((d) => d.id === 'out1/barrier')?.status === 'online' ? true : undefined))
    await eventually('resolved', async () => ((await call<Alarm[]>('alarms.list', { openOnly: true })).length === 0 ? true : undefined))
    // Offline again after the acknowledgement: a new alarm.
    const again = await offline()
    expect(again).toHaveLength(1)
    expect(again[0]!.id).not.toBe(alarms[0]!.id)
  })

  it('acknowledging an unknown alarm is a clear not_found', async () => {
    expect(await failure('alarms.ack', { id: 42, note: '已处理' })).toMatchObject({ code: 'not_found' })
  })
})

describe('bad input: clear outcome, nothing lost', () => {
  it('normalises lowercase and full-width plates before deciding', async () => {
    const p = await submit('in2', '豫ａ１２３４５')
    expect(p.plate).toBe('豫A12345')
    const q = await submit('in2', ' 豫b·54321 ')
    expect(q.plate).toBe('豫B54321')
  })

  it.each([
    ['an unknown plate colour', { laneId: 'in1', plate: '豫A12345', colour: '7' }, 'invalid_input', /B7\.1/],
    ['a colour name instead of a code', { laneId: 'in1', plate: '豫A12345', colour: '黄' }, 'invalid_input', /B7\.1/],
    ['a plate that is no plate', { laneId: 'in1', plate: 'ABC', colour: '1' }, 'invalid_input', /格式不正确/],
    ['an unknown lane', { laneId: 'gate9', plate: '豫A12345', colour: '1' }, 'unknown_lane', /未知车道/]
  ])('%s is refused with a reason and stores nothing', async (_name, input, code, message) => {
    const error = await failure('plate.submit', input)
    expect(error.code).toBe(code)
    expect(error.message).toMatch(message)
    expect(app.store.passages.latest(5)).toEqual([])
    expect(laneState('in1').phase).toBe('idle')
  })

  it('a camera push for an unknown lane answers 404 and leaves the lanes untouched', async () => {
    const reply = await postJson(`${app.lpr.url}/lpr/gate9`, { plate: '豫A12345', colour: '1' })
    expect(reply).toMatchObject({ status: 404, body: { error: { code: 'unknown_lane' } } })
    expect(app.lanes.states().every((s) => s.phase === 'idle')).toBe(true)
  })

  it('manual decisions on an unknown lane or with no truck held are refused clearly', async () => {
    expect(await failure('lane.release', { laneId: 'gate9', reason: 'misread', note: '', passageId: 1 })).toMatchObject({ code: 'unknown_lane' })
    expect(await failure('lane.release', { laneId: 'in1', reason: 'misread', note: '', passageId: 1 })).toMatchObject({ code: 'not_found' })
    expect(await failure('lane.refuse', { laneId: 'in1', note: '', passageId: 1 })).toMatchObject({ code: 'not_found' })
    expect(await failure('lane.release', { laneId: 'in1', reason: 'bogus', note: '', passageId: 1 })).toMatchObject({ code: 'invalid_input' })
    // Every manual decision names the passage the guard saw: without it, nothing is done.
    for (const [command, input] of [['lane.release', { laneId: 'in1', reason: 'misread', note: '' }], ['lane.refuse', { laneId: 'in1', note: '' }]] as const) {
      const refused = await failure(command, input)
      expect(refused).toMatchObject({ code: 'invalid_input' })
      expect(JSON.stringify(refused)).toContain('passageId')
    }
  })

  it('control measures outside B7.18–B7.22 are refused and the old ones kept', async () => {
    await call('controlMeasures.set', { level: '2', area: '1', strategy: '2', enterpriseType: null, measures: null, note: '' })
    expect(await failure('controlMeasures.set', { level: '2', area: '1', strategy: '2', enterpriseType: null, measures: '4', note: '' })).toMatchObject({ code: 'invalid_input' })
    expect(await call('controlMeasures.get', {})).toMatchObject({ level: '2', strategy: '2', measures: null })
  })
})

describe('lanes.state', () => {
  it('lists every lane with its barrier', async () => {
    const states = await call<LaneState[]>('lanes.state', {})
    expect(states.map((s) => [s.laneId, s.phase, s.barrier === null])).toEqual([
      ['in1', 'idle', false],
      ['out1', 'idle', false],
      ['in2', 'idle', true]
    ])
  })

  it('a booth starting with every device answering raises no device alarm', async () => {
    const health = await eventually('all devices online', () => {
      const list = app.devices.list()
      return list.every((d) => d.status === 'online') ? list : undefined
    })
    expect(health.map((d) => d.id)).toEqual(['in1/barrier', 'in1/camera', 'in1/display', 'out1/barrier'])
    expect(await call<Alarm[]>('alarms.list', {})).toEqual([])
  })
})
