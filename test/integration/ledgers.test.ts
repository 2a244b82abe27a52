import { createHash } from 'node:crypto'
import ExcelJS from 'exceljs'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { EventName, GoodsRecord, ImportResult, InnerVehicleView, LedgerChange, MachineView, Passage, ReportFile, VehicleRegistration } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import type { CallContext } from '../../src/main/core/api'
import { demoConfig, DEMO_PLATFORM, parseConfig, type GateConfig } from '../../src/main/core/config'
import { platformInterfaces } from '../../src/main/core/platform'
import { commands } from '../../src/shared/contract'
import { setFault } from './booth'
import { injectFault, licenceImage } from './platform-fixtures'
import { simControl, simSerialUrl, startSerialSim } from './serial-support'
import { ADMIN_CONTEXT, eventually, GUARD_CONTEXT, startProcess, stopProcess, tempDir, type RunningProcess } from './support'

/**
 * The admin ledgers end to end: the booth (the single-gate role, a real SQLite file) against the platform simulator in its own
 * process (from the build), every change going out through the outbox and the sync worker.
 */
let sim: RunningProcess
let app: SingleGate
let published: { event: EventName; payload: unknown }[]

interface SimRecord {
  seq: number
  ipctype: string | null
  reply: Record<string, unknown> | null
  value: Record<string, any> | null
}

beforeAll(async () => {
  sim = await startProcess(
    'sim-platform.js',
    ['--port', '0', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username, '--demo-vehicles'],
    { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password },
    /platform-sim listening /
  )
})
afterAll(() => stopProcess(sim))

/** The booth against the simulator process; `lanes` may give lanes devices (the demo lanes have none). */
async function startApp(lanes?: (demoLanes: GateConfig['lanes']) => unknown[]): Promise<SingleGate> {
  const dataDir = tempDir('ledgers')
  const base = demoConfig({ dataDir, platformBaseUrl: `${sim.url}/ysgk`, hostPort: 0, lprPort: 0 })
  // The demo lanes have no barrier of ours: a truck decided offline is held for the guard, briefly here.
  const config = parseConfig(
    { ...base, sync: { ...base.sync, intervalMs: 100, maxBackoffMs: 300 }, laneTiming: { ...base.laneTiming, decisionHoldMs: 1_000 }, ...(lanes ? { lanes: lanes(base.lanes) } : {}) },
    dataDir
  )
  const started = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
  published = []
  started.events.subscribe((event, payload) => published.push({ event, payload }))
  return started
}

beforeEach(async () => {
  await setFault(sim.url, 'none')
  app = await startApp()
})
afterEach(async () => {
  await app.close()
})

const leastRole = (command: string): CallContext => (commands[command as keyof typeof commands]?.role === 'admin' ? ADMIN_CONTEXT : GUARD_CONTEXT)

/** Calls a command and checks its result against the contract's output schema, as the renderer does. */
async function call<T>(command: string, input: unknown, context: CallContext = leastRole(command)): Promise<T> {
  const reply = await app.router.dispatch(command, input, context)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.code} ${reply.error.message}`)
  commands[command as keyof typeof commands].output.parse(reply.result)
  return reply.result as T
}

async function failure(command: string, input: unknown, context: CallContext = leastRole(command)) {
  const reply = await app.router.dispatch(command, input, context)
  if (reply.ok) throw new Error(`${command} unexpectedly succeeded`)
  return reply.error
}

/** What the simulator accepted of one interface whose value matches `where`, in arrival order. */
async function received(ipctype: string, where: Record<string, string>): Promise<Record<string, any>[]> {
  const requests = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as SimRecord[]
  return requests
    .filter((request) => request.ipctype === ipctype && request.value && Object.entries(where).every(([field, value]) => request.value![field] === value))
    .filter((request) => request.reply?.code === '200' || request.reply?.result === 'success')
    .map((request) => request.value!)
}

/** An inline image as the simulator records it: its size and hash. */
function recordedImage(base64: string): { bytes: number; sha256: string } {
  const bytes = Buffer.from(base64, 'base64')
  return { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** The spec field names of an interface, as printed in its table. */
const specFieldNames = (ipctype: keyof typeof platformInterfaces) => platformInterfaces[ipctype].fields.map((field) => field.name).sort()

async function historyUploaded(ledger: string, id: number, count: number): Promise<LedgerChange[]> {
  return eventually(`${ledger} ${id}: ${count} change(s) uploaded`, async () => {
    const history = await call<LedgerChange[]>('ledger.history', { ledger, id })
    return history.length === count && history.every((change) => change.upload === 'uploaded') ? history : undefined
  })
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#2050a0', noise: { type: 'gaussian', mean: 100, sigma: 20 } } }).png().toBuffer()
/** A noisy photo far over the platform's 700,000 bytes. */
const hugeJpeg = () =>
  sharp({ create: { width: 1800, height: 1400, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .jpeg({ quality: 98 })
    .toBuffer()

const truck = {
  license: '豫A70001',
  licenseColor: '2',
  vehicleType: 'H11',
  vin: 'LFV2A21K0A3700001',
  useCharacter: 'A',
  engineNo: 'E7001',
  onwer: '许昌示范钢铁有限公司',
  address: '许昌市魏都区',
  model: '解放J6P',
  registerDate: '2021-03-15',
  issueDate: '2021-03-16',
  emissionStandard: '6'
}

describe('in-plant vehicles (4.1.7)', () => {
  it('create, edit and status change each reach the platform in order, with exactly the spec fields', async () => {
    const licencePng = await png(320, 200)
    const created = await call<InnerVehicleView>('innerVehicles.save', { ...truck, drivingLicenseImg: licencePng.toString('base64') })
    expect(created).toMatchObject({ license: '豫A70001', carStatus: '1', drivingLicenseImg: true, drivingLicenseImg2: false, upload: 'pending', updatedBy: '测试管理员' })
    const edited = await call<InnerVehicleView>('innerVehicles.save', { ...truck, id: created.id, onwer: '许昌物流有限公司' })
    expect(edited.drivingLicenseImg).toBe(true)
    const sealed = await call<InnerVehicleView>('innerVehicles.setStatus', { id: created.id, status: '2', note: '年检过期' })
    expect(sealed.carStatus).toBe('2')

    const history = await historyUploaded('innerVehicles', created.id, 3)
    expect(history.map((change) => [change.action, change.by, change.note])).toEqual([
      ['status', '测试管理员', '年检过期'],
      ['update', '测试管理员', ''],
      ['create', '测试管理员', '']
    ])
    expect(history[1]!.changes).toEqual({ onwer: { from: '许昌示范钢铁有限公司', to: '许昌物流有限公司' } })
    expect(history[0]!.changes).toEqual({ carStatus: { from: '1', to: '2' } })

    const sent = await received('shareInnerVehInfo', { license: '豫A70001' })
    expect(sent).toHaveLength(3)
    const { jpegBase64 } = await call<{ jpegBase64: string }>('ledger.image', { ledger: 'innerVehicles', id: created.id, field: 'drivingLicenseImg' })
    // The PNG went out as the JPEG on file.
    expect(Buffer.from(jpegBase64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    for (const value of sent) expect(Object.keys(value).sort()).toEqual(specFieldNames('shareInnerVehInfo'))
    expect(sent[0]).toEqual({
      accessToken: '***',
      companySecretCode: 'DEMO-SECRET-0001',
      companyCode: '4110020001',
      ...truck,
      drivingLicenseImg: recordedImage(jpegBase64),
      drivingLicenseImg2: '',
      carStatus: '1'
    })
    expect([sent[1]!.onwer, sent[1]!.carStatus]).toEqual(['许昌物流有限公司', '1'])
    expect([sent[2]!.onwer, sent[2]!.carStatus, sent[2]!.drivingLicenseImg]).toEqual(['许昌物流有限公司', '2', recordedImage(jpegBase64)])

    const page = await call<{ rows: InnerVehicleView[]; total: number }>('innerVehicles.list', { plate: '豫a7', status: '2' })
    expect(page).toMatchObject({ total: 1, rows: [{ id: created.id, upload: 'uploaded' }] })
    // One event per write and one per upload settled by the sync worker.
    expect(published.filter((e) => e.event === 'ledger.changed' && (e.payload as { id: number }).id === created.id)).toHaveLength(6)
    // The audit keeps the image as its length and hash, not the picture.
    const audit = await app.audit.list({ limit: 10, action: 'innerVehicles.save' })
    expect(audit.find((entry) => JSON.stringify(entry.detail).includes('drivingLicenseImg'))!.detail).toMatchObject({ input: { drivingLicenseImg: { omitted: 'text', length: licencePng.toString('base64').length } } })
    expect(JSON.stringify(audit)).not.toContain(licencePng.toString('base64').slice(0, 200))
  })

  it('a change the platform refuses marks the row failed and holds its later changes until the dead letter is re-queued', async () => {
    // Logged in first, so the refusal answers the filing itself.
    await eventually('logged in', async () => ((await call<{ loggedIn: boolean }>('platform.status', {})).loggedIn ? true : undefined))
    await injectFault({ url: sim.url }, { mode: '952', times: 1 })
    const created = await call<InnerVehicleView>('innerVehicles.save', { ...truck, license: '豫A70009', drivingLicenseImg: licenceImage })
    const failed = await eventually('the row failed', async () => {
      const page = await call<{ rows: InnerVehicleView[] }>('innerVehicles.list', { plate: '豫A70009' })
      return page.rows[0]?.upload === 'failed' ? page.rows[0] : undefined
    })
    expect(failed.uploadError).toBeTruthy()
    await call('innerVehicles.setStatus', { id: created.id, status: '3', note: '报废' })
    const [latest, first] = await call<LedgerChange[]>('ledger.history', { ledger: 'innerVehicles', id: created.id })
    expect([latest!.upload, first!.upload]).toEqual(['pending', 'failed'])
    expect((await call<{ rows: InnerVehicleView[] }>('innerVehicles.list', { plate: '豫A70009', upload: 'failed' })).rows).toHaveLength(1)

    const [dead] = (await call<{ id: number; kind: string }[]>('outbox.deadLetters', {})).filter((letter) => letter.kind === 'shareInnerVehInfo')
    await call('outbox.requeue', { id: dead!.id })
    await historyUploaded('innerVehicles', created.id, 2)
    expect((await received('shareInnerVehInfo', { license: '豫A70009' })).map((value) => value.carStatus)).toEqual(['1', '3'])
  })

  it('the upload-state filter of every list agrees with each row\'s own state, totals included', async () => {
    await eventually('logged in', async () => ((await call<{ loggedIn: boolean }>('platform.status', {})).loggedIn ? true : undefined))
    const save = (license: string) => call<InnerVehicleView>('innerVehicles.save', { ...truck, license, drivingLicenseImg: licenceImage })
    const uploaded = await save('豫A71001')
    await historyUploaded('innerVehicles', uploaded.id, 1)
    await injectFault({ url: sim.url }, { mode: '952', times: 1 })
    const failed = await save('豫A71002')
    await eventually('the refusal', async () => ((await call<{ rows: InnerVehicleView[] }>('innerVehicles.list', { plate: '豫A71002' })).rows[0]?.upload === 'failed' ? true : undefined))
    const passage = await call<Passage>('plate.submit', { laneId: 'out1', plate: '豫A71009', colour: '1' })
    const goodsUploaded = await call<GoodsRecord>('goods.record', { passageId: passage.id, hwmc: '焦炭', ysl: '30' })
    await historyUploaded('goods', goodsUploaded.id, 1)
    await setFault(sim.url, 'down')
    const pending = await save('豫A71003')
    // A failed row whose next change waits behind its dead letter is still failed, not pending.
    await call('innerVehicles.setStatus', { id: failed.id, status: '2', note: '' })

    const byState = async (upload: string) => {
      const page = await call<{ rows: InnerVehicleView[]; total: number }>('innerVehicles.list', { plate: '豫A71', upload })
      expect(page.rows.every((row) => row.upload === upload)).toBe(true)
      return { ids: page.rows.map((row) => row.id), total: page.total }
    }
    expect(await byState('uploaded')).toEqual({ ids: [uploaded.id], total: 1 })
    expect(await byState('failed')).toEqual({ ids: [failed.id], total: 1 })
    expect(await byState('pending')).toEqual({ ids: [pending.id], total: 1 })
    const goods = async (upload: string) => (await call<{ rows: GoodsRecord[]; total: number }>('goods.list', { plate: '豫A71', upload })).total
    expect([await goods('uploaded'), await goods('pending'), await goods('failed')]).toEqual([1, 0, 0])
  })

  it('feeds the lane offline: a normal vehicle passes, a sealed one is refused', async () => {
    const normal = await call<InnerVehicleView>('innerVehicles.save', { ...truck, license: '豫A70002', licenseColor: '1', drivingLicenseImg: licenceImage })
    const sealed = await call<InnerVehicleView>('innerVehicles.save', { ...truck, license: '豫A70003', licenseColor: '1', drivingLicenseImg: licenceImage })
    await call('innerVehicles.setStatus', { id: sealed.id, status: '2', note: '停用' })
    await historyUploaded('innerVehicles', sealed.id, 2)
    await setFault(sim.url, 'down')

    const allowed = await call<Passage>('plate.submit', { laneId: 'in1', plate: normal.license, colour: '1' })
    expect(allowed).toMatchObject({ decision: 'allow', reasonCode: 'inner_vehicle', decidedOffline: true })
    const refused = await call<Passage>('plate.submit', { laneId: 'in1', plate: sealed.license, colour: '1' })
    expect(refused).toMatchObject({ decision: 'refuse', reasonCode: 'inner_vehicle_inactive', decidedOffline: true })
  })
})

describe('vehicle registrations (4.1.2) and machines (4.1.8)', () => {
  it('a registration from a passage is filed and re-filed with the spec fields; an oversized photo goes out re-encoded', async () => {
    const passage = await call<Passage>('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' })
    const big = await hugeJpeg()
    expect(big.byteLength).toBeGreaterThan(700_000)
    const filed = await call<VehicleRegistration>('vehicles.save', {
      ...truck,
      license: passage.plate,
      licenseColor: passage.plateColour,
      drivingLicenseImg2: big.toString('base64'),
      passageId: passage.id
    })
    expect(filed).toMatchObject({ license: '豫A12345', passageId: passage.id, drivingLicenseImg: false, drivingLicenseImg2: true })
    // Saving the same plate and colour again updates the one registration.
    const again = await call<VehicleRegistration>('vehicles.save', { ...truck, license: '豫A12345', licenseColor: '1', model: '解放J7' })
    expect(again.id).toBe(filed.id)
    await historyUploaded('vehicles', filed.id, 2)

    const sent = await received('shareVehInfo', { license: '豫A12345' })
    expect(sent.map((value) => value.model)).toEqual(['解放J6P', '解放J7'])
    for (const value of sent) expect(Object.keys(value).sort()).toEqual(specFieldNames('shareVehInfo'))
    const { jpegBase64 } = await call<{ jpegBase64: string }>('ledger.image', { ledger: 'vehicles', id: filed.id, field: 'drivingLicenseImg2' })
    const photo = Buffer.from(jpegBase64, 'base64')
    expect(photo.byteLength).toBeLessThanOrEqual(700_000)
    expect((await sharp(photo).metadata()).format).toBe('jpeg')
    expect(sent.map((value) => value.drivingLicenseImg2)).toEqual([recordedImage(jpegBase64), recordedImage(jpegBase64)])
    expect(sent[1]).toMatchObject({ companySecretCode: 'DEMO-SECRET-0001', drivingLicenseImg: '', vin: truck.vin, onwer: truck.onwer })
  })

  it('a machine is created, edited and cancelled; each change reaches the platform', async () => {
    const nameplate = licenceImage
    const machine = { mhyPlate: 'Y41100200001', mhyJXMC: '装载机', emissionLevel: '4', mhyFrameNo: 'ZL50-001', mhyProdDate: '2020-06-01' }
    const created = await call<MachineView>('machines.save', { ...machine, imageInfo: nameplate })
    await call<MachineView>('machines.save', { ...machine, id: created.id, mhyJXMC: '挖掘机' })
    const cancelled = await call<MachineView>('machines.setStatus', { id: created.id, status: '3', note: '报废' })
    expect(cancelled).toMatchObject({ mhyStatus: '3', mhyJXMC: '挖掘机', imageInfo: true })
    await historyUploaded('machines', created.id, 3)

    const sent = await received('shareInnerMHYElec', { mhyPlate: 'Y41100200001' })
    for (const value of sent) expect(Object.keys(value).sort()).toEqual(specFieldNames('shareInnerMHYElec'))
    expect(sent.map((value) => [value.mhyJXMC, value.mhyStatus])).toEqual([
      ['装载机', '1'],
      ['挖掘机', '1'],
      ['挖掘机', '3']
    ])
    expect(sent[0]).toEqual({ accessToken: '***', companySecretCode: 'DEMO-SECRET-0001', companyCode: '4110020001', ...machine, imageInfo: recordedImage(nameplate), mhyStatus: '1' })
  })

  it('a file that is not an image is refused naming the field, and nothing is written', async () => {
    const text = Buffer.from('这不是图片，只是改了扩展名的文本文件').toString('base64')
    const error = await failure('innerVehicles.save', { ...truck, drivingLicenseImg: text })
    expect(error.code).toBe('invalid_input')
    expect(error.issues).toEqual([{ path: 'drivingLicenseImg', message: expect.stringContaining('行驶证图片') }])
    expect(error.message).toContain('不是 JPEG 或 PNG 图片')
    const truncated = (await png(64, 48)).subarray(0, 60).toString('base64')
    const cut = await failure('machines.save', { mhyPlate: 'Y1', mhyJXMC: '叉车', emissionLevel: '4', mhyFrameNo: 'F', mhyProdDate: '2020-01-01', imageInfo: truncated })
    expect(cut.issues?.map((issue) => issue.path)).toEqual(['imageInfo'])
    // A vehicle without either licence image is refused too (4.1.7: not both empty).
    const none = await failure('innerVehicles.save', truck)
    expect(none.issues?.map((issue) => issue.path)).toEqual(['drivingLicenseImg'])

    expect((await call<{ total: number }>('innerVehicles.list', {})).total).toBe(0)
    expect((await call<{ total: number }>('machines.list', {})).total).toBe(0)
    expect(app.store.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind IN ('shareInnerVehInfo', 'shareInnerMHYElec')`).get()).toEqual({ n: 0 })
    expect(app.store.db.prepare(`SELECT COUNT(*) AS n FROM ledger_images`).get()).toEqual({ n: 0 })
  })
})

describe('goods (4.1.6) and roles', () => {
  it('a guard enters goods once (after the passage record); changing them needs an admin; a guard cannot edit other ledgers', async () => {
    const passage = await call<Passage>('plate.submit', { laneId: 'out1', plate: '豫A12345', colour: '1' })
    expect(await call<string[]>('goods.names', {})).toContain('铁矿石')
    const goods = await call<GoodsRecord>('goods.record', { passageId: passage.id, hwmc: '铁矿石', ysl: '35.46' }, GUARD_CONTEXT)
    expect(goods).toMatchObject({ lsh: passage.lsh, plate: '豫A12345', hwmc: '铁矿石', ysl: '35.5', source: 'guard', weighed: false })
    expect(goods.djsj).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)

    const again = await failure('goods.record', { passageId: passage.id, hwmc: '焦炭', ysl: '20' }, GUARD_CONTEXT)
    expect(again.code).toBe('forbidden')
    const corrected = await call<GoodsRecord>('goods.record', { passageId: passage.id, hwmc: '焦炭', ysl: '20' }, ADMIN_CONTEXT)
    expect(corrected).toMatchObject({ id: goods.id, hwmc: '焦炭', ysl: '20', djsj: goods.djsj })
    expect((await failure('vehicles.save', { ...truck, drivingLicenseImg: licenceImage }, GUARD_CONTEXT)).code).toBe('forbidden')
    expect((await failure('innerVehicles.setStatus', { id: 1, status: '2' }, GUARD_CONTEXT)).code).toBe('forbidden')
    expect((await failure('goods.setNames', { names: ['煤'] }, GUARD_CONTEXT)).code).toBe('forbidden')

    await historyUploaded('goods', goods.id, 2)
    const requests = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as SimRecord[]
    const ofPassage = requests.filter((request) => request.value?.lsh === passage.lsh).map((request) => request.ipctype)
    expect(ofPassage).toEqual(['shareDrivingRecord', 'shareGoodsRecord', 'shareGoodsRecord'])
    const sent = await received('shareGoodsRecord', { lsh: passage.lsh })
    expect(sent[0]).toEqual({ lsh: passage.lsh, qybh: '4110020001', qymc: '许昌示范钢铁有限公司', dzbh: '02', cphm: '豫A12345', cpys: '1', hwmc: '铁矿石', ysl: '35.5', djsj: goods.djsj })
    expect(sent[1]).toMatchObject({ hwmc: '焦炭', ysl: '20', djsj: goods.djsj })
    expect(await call<GoodsRecord | null>('goods.forPassage', { passageId: passage.id })).toMatchObject({ id: goods.id, upload: 'uploaded' })

    const bad = await failure('goods.record', { passageId: passage.id, hwmc: '铁矿石', ysl: '三十吨' }, ADMIN_CONTEXT)
    // Beside the field the form shows the spec's label, not the field name.
    expect(bad.issues).toEqual([{ path: 'ysl', message: expect.stringMatching(/^运输量/) }])
    expect(bad.message).not.toMatch(/[A-Za-z]{2,}/)
  })

  it('a plate corrected before the records went out is corrected in the goods ledger and in its upload too', async () => {
    // Whitelisted, so it goes through with the platform down: goods are entered only for a truck that went through.
    await call('localLists.add', { kind: 'white', plate: '豫A12345', note: '' })
    await setFault(sim.url, 'down')
    const passage = await call<Passage>('plate.submit', { laneId: 'out1', plate: '豫A12345', colour: '1' })
    expect(passage).toMatchObject({ decision: 'allow', bgzt: '1' })
    const goods = await call<GoodsRecord>('goods.record', { passageId: passage.id, hwmc: '焦炭', ysl: '30' }, GUARD_CONTEXT)
    await call('passage.correctPlate', { passageId: passage.id, plate: '豫A54321', colour: '2' }, GUARD_CONTEXT)
    expect(await call<GoodsRecord | null>('goods.forPassage', { passageId: passage.id })).toMatchObject({ id: goods.id, plate: '豫A54321', plateColour: '2' })

    await setFault(sim.url, 'none')
    await call('sync.now', {})
    await historyUploaded('goods', goods.id, 1)
    // The simulator outlives each test's booth, and an earlier test's passage in the same second has the same lsh.
    const sent = (await received('shareGoodsRecord', { lsh: passage.lsh })).at(-1)
    expect(sent).toMatchObject({ cphm: '豫A54321', cpys: '2', hwmc: '焦炭', ysl: '30' })
  })

  it('goods are entered only for a truck that went through: a refused one is turned away, and nothing is written', async () => {
    const refused = await call<Passage>('plate.submit', { laneId: 'out1', plate: '豫A00004', colour: '1' })
    expect(refused).toMatchObject({ decision: 'refuse', bgzt: '0' })
    const error = await failure('goods.record', { passageId: refused.id, hwmc: '焦炭', ysl: '30' }, ADMIN_CONTEXT)
    expect(error).toMatchObject({ code: 'invalid_input' })
    expect(error.message).toContain('未通过道闸（已拒绝）')
    expect(await call<GoodsRecord | null>('goods.forPassage', { passageId: refused.id })).toBeNull()
  })
})

describe('the weighbridge (goods.weight)', () => {
  it('reads the lane scale in tonnes that fit ysl; a lane without one says so', async () => {
    const scaleSim = await startSerialSim('scale', 'tcp://127.0.0.1:0', ['--interval-ms', '50', '--noise-kg', '0'])
    try {
      await app.close()
      app = await startApp(([in1, out1]) => [in1, { ...out1, scale: { kind: 'xk3190', path: simSerialUrl(scaleSim), settleMs: 300 } }])
      await simControl(scaleSim, 'weight', { kg: 35_460, rampMs: 0 })
      const weight = await eventually('a stable 35.46 t', async () => {
        const reading = await call<{ tonnes: string | null; stable: boolean; message: string }>('goods.weight', { laneId: 'out1' })
        return reading.stable && reading.tonnes === '35.5' ? reading : undefined
      })
      expect(weight.message).toBe('地磅读数已稳定')
      // The indicator's largest reading, 999.999 t, rounds to 4 characters.
      await simControl(scaleSim, 'weight', { kg: 999_999, rampMs: 0 })
      await eventually('999.999 t as 1000', async () => ((await call<{ tonnes: string | null }>('goods.weight', { laneId: 'out1' })).tonnes === '1000' ? true : undefined))
    } finally {
      await stopProcess(scaleSim)
    }
    expect(await call('goods.weight', { laneId: 'in1' })).toMatchObject({ tonnes: null, stable: false, message: expect.stringContaining('未配置地磅') })
    expect((await failure('goods.weight', { laneId: 'nowhere' })).code).toBe('unknown_lane')
  })
})

describe('Excel', () => {
  /** The export's layout with these rows from row 3; a picture in the image cell where `image` is set. */
  async function workbookWith(rows: { values: Record<string, string>; image?: Buffer }[]): Promise<string> {
    const empty = await call<ReportFile>('ledger.export', { ledger: 'innerVehicles' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(empty.base64, 'base64') as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    const fields = (sheet.getRow(2).values as string[]).slice(1)
    for (const row of rows) {
      const added = sheet.addRow(fields.map((field) => row.values[field] ?? ''))
      if (row.image) {
        const picture = workbook.addImage({ buffer: row.image as unknown as ExcelJS.Buffer, extension: 'jpeg' })
        sheet.addImage(picture, { tl: { col: fields.indexOf('drivingLicenseImg'), row: added.number - 1 }, ext: { width: 40, height: 30 } })
      }
    }
    return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64')
  }

  it('an import with 3 bad rows imports nothing and reports exactly those rows; the fixed file imports all and uploads', async () => {
    const image = Buffer.from(licenceImage, 'base64')
    const good = (n: number) => ({ values: { ...truck, license: `豫A8000${n}`, vin: `VIN${n}`, carStatus: '1' }, image })
    const rows = [
      good(1),
      { values: { ...truck, license: '豫A80002', licenseColor: '9', carStatus: '1' }, image },
      good(3),
      { values: { ...truck, license: '豫A80004', registerDate: '2021-13-01', carStatus: '1' }, image },
      { values: { ...truck, license: '豫A80005', carStatus: '1' } },
      good(6)
    ]
    const result = await call<ImportResult>('ledger.import', { ledger: 'innerVehicles', fileName: 'inner.xlsx', base64: await workbookWith(rows) })
    expect(result.imported).toBe(0)
    expect(result.problems.map((problem) => [problem.row, problem.field])).toEqual([
      [4, 'licenseColor'],
      [6, 'registerDate'],
      [7, 'drivingLicenseImg']
    ])
    for (const problem of result.problems) expect(problem.message).toMatch(/[\u4e00-\u9fff]/)
    expect((await call<{ total: number }>('innerVehicles.list', {})).total).toBe(0)
    expect(app.store.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'shareInnerVehInfo'`).get()).toEqual({ n: 0 })

    const fixed = await call<ImportResult>('ledger.import', { ledger: 'innerVehicles', fileName: 'inner.xlsx', base64: await workbookWith([good(1), good(3), good(6)]) })
    expect(fixed).toEqual({ imported: 3, problems: [] })
    const page = await call<{ rows: InnerVehicleView[]; total: number }>('innerVehicles.list', { plate: '豫A800' })
    expect(page.rows.map((row) => row.license)).toEqual(['豫A80001', '豫A80003', '豫A80006'])
    for (const row of page.rows) await historyUploaded('innerVehicles', row.id, 1)
    expect((await received('shareInnerVehInfo', { vin: 'VIN6' }))[0]).toMatchObject({ license: '豫A80006', drivingLicenseImg: recordedImage(licenceImage) })

    // The export carries the rows and their pictures, and imports again without a change.
    const exported = await call<ReportFile>('ledger.export', { ledger: 'innerVehicles', plate: '豫A800' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(exported.base64, 'base64') as unknown as ExcelJS.Buffer)
    expect(workbook.worksheets[0]!.rowCount).toBe(5)
    expect(workbook.worksheets[0]!.getImages()).toHaveLength(3)
    expect(await call<ImportResult>('ledger.import', { ledger: 'innerVehicles', fileName: 'x.xlsx', base64: exported.base64 })).toEqual({ imported: 3, problems: [] })
    expect(app.store.db.prepare(`SELECT COUNT(*) AS n FROM ledger_changes`).get()).toEqual({ n: 3 })
  })
  it('goods export and import: an unknown lsh is a row problem; the corrected file updates the goods as an import', async () => {
    const first = await call<Passage>('plate.submit', { laneId: 'out1', plate: '豫A12345', colour: '1' })
    const goods = await call<GoodsRecord>('goods.record', { passageId: first.id, hwmc: '铁矿石', ysl: '30' })
    const exported = await call<ReportFile>('ledger.export', { ledger: 'goods' })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(exported.base64, 'base64') as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    const fields = (sheet.getRow(2).values as string[]).slice(1)
    expect(fields).toEqual(['lsh', 'dzbh', 'cphm', 'cpys', 'hwmc', 'ysl', 'djsj', 'upload', 'updatedAt'])
    // A reader sees Chinese headers only (the field-name row is hidden) and Beijing times, never a UTC instant.
    expect(sheet.getRow(2).hidden).toBe(true)
    expect(String(sheet.getRow(3).getCell(fields.indexOf('updatedAt') + 1).value)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(sheet.getRow(3).getCell(fields.indexOf('hwmc') + 1).value).toBe('铁矿石')
    sheet.getRow(3).getCell(fields.indexOf('hwmc') + 1).value = '焦炭'
    sheet.addRow(['411002000102B991231235959', '02', '豫A99999', '1', '煤炭', '10'])
    const withUnknown = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64')
    const refused = await call<ImportResult>('ledger.import', { ledger: 'goods', fileName: 'goods.xlsx', base64: withUnknown })
    expect(refused).toEqual({ imported: 0, problems: [{ row: 4, field: 'lsh', message: expect.stringContaining('没有对应的过车记录') }] })
    expect((await call<GoodsRecord>('goods.forPassage', { passageId: first.id })).hwmc).toBe('铁矿石')

    sheet.spliceRows(4, 1)
    const corrected = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64')
    expect(await call<ImportResult>('ledger.import', { ledger: 'goods', fileName: 'goods.xlsx', base64: corrected })).toEqual({ imported: 1, problems: [] })
    const history = await historyUploaded('goods', goods.id, 2)
    expect(history[0]).toMatchObject({ action: 'import', changes: { hwmc: { from: '铁矿石', to: '焦炭' } } })
  })

  it('every ledger exports in the layout its import reads', async () => {
    for (const ledger of ['goods', 'vehicles', 'innerVehicles', 'machines']) {
      const file = await call<ReportFile>('ledger.export', { ledger })
      expect(file.fileName).toMatch(/\.xlsx$/)
      expect(await call<ImportResult>('ledger.import', { ledger, fileName: file.fileName, base64: file.base64 })).toEqual({ imported: 0, problems: [] })
    }
    const notExcel = await failure('ledger.import', { ledger: 'machines', fileName: 'x.xlsx', base64: Buffer.from('not a workbook').toString('base64') })
    expect(notExcel).toMatchObject({ code: 'invalid_input', issues: [{ path: 'base64', message: '文件不是有效的 Excel 工作簿（.xlsx），请选用本系统导出的表格填写后导入' }] })
  })
})
