import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { formatSpecDateTime, LSH_PATTERN, makeLsh } from '@shared/spec'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { eventually, GUARD_CONTEXT, postJson, tempDir, tinyJpeg } from './support'

let sim: PlatformSim
let app: SingleGate

async function submit(input: unknown) {
  return app.router.dispatch('plate.submit', input, GUARD_CONTEXT)
}

async function uploaded(lsh: string): Promise<Passage> {
  return eventually(`passage ${lsh} uploaded`, () => {
    const passage = app.store.passages.latest(50).find((p) => p.lsh === lsh)
    return passage?.upload === 'uploaded' ? passage : undefined
  })
}

function rowCount(table: 'passages' | 'outbox' | 'photos'): number {
  return (app.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
}

beforeEach(async () => {
  sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const config = demoConfig({ dataDir: tempDir('spine'), platformBaseUrl: sim.baseUrl, hostPort: 0, lprPort: 0 })
  app = await startSingleGate({
    // The demo lanes have no barrier of ours: a refused or undecided truck is held for the guard, briefly here.
    config: { ...config, sync: { ...config.sync, intervalMs: 100, maxBackoffMs: 200 }, laneTiming: { ...config.laneTiming, decisionHoldMs: 1_000 } },
    platformPassword: DEMO_PLATFORM.password,
    version: 'test',
    demo: true,
    log: () => {}
  })
})

afterEach(async () => {
  await app.close()
  await sim.close()
})

describe('a typed plate becomes an uploaded passage', () => {
  it('verifies, allows, stores the A6.4 serial number and uploads shareDrivingRecord once', async () => {
    const before = Date.now()
    const reply = await submit({ laneId: 'in1', plate: '豫a 12345', colour: '1' })
    expect(reply.ok).toBe(true)
    const passage = (reply as { ok: true; result: Passage }).result
    expect(passage).toMatchObject({ plate: '豫A12345', decision: 'allow', decidedOffline: false, bgzt: '1', gateCode: '01', direction: 'in' })
    expect(passage.lsh).toMatch(LSH_PATTERN)
    expect(passage.lsh.slice(0, 13)).toBe('411002000101A')

    await uploaded(passage.lsh)
    const records = sim.requests().filter((r) => r.ipctype === 'shareDrivingRecord' && r.value?.lsh === passage.lsh)
    expect(records).toHaveLength(1)
    expect(records[0]!.reply).toMatchObject({ code: '200' })
    expect(records[0]!.value).toEqual({
      lsh: passage.lsh,
      qybh: '4110020001',
      qymc: '许昌示范钢铁有限公司',
      dzbh: '01',
      cphm: '豫A12345',
      cpys: '1',
      tgsjq: passage.tgsjq,
      tgsjz: passage.tgsjz,
      tgzt: '1',
      bgzt: '1'
    })
    // The serial number's time is the recognition time in Beijing time.
    const beijing = new Date(before + 8 * 3600_000).toISOString()
    const expectedPrefix = beijing.slice(2, 4) + beijing.slice(5, 7) + beijing.slice(8, 10)
    expect(passage.lsh.slice(13, 19)).toBe(expectedPrefix)
  })

  it('refuses a controlled vehicle with the platform reason and still reports the passage (bgzt 0)', async () => {
    const reply = await submit({ laneId: 'out1', plate: '豫A00003', colour: '1' })
    const passage = (reply as { ok: true; result: Passage }).result
    expect(passage).toMatchObject({ decision: 'refuse', reasonCode: 'platform_control', bgzt: '0', direction: 'out' })
    expect(passage.lsh.slice(10, 13)).toBe('02B')
    await uploaded(passage.lsh)
    const record = sim.requests().find((r) => r.ipctype === 'shareDrivingRecord' && r.value?.lsh === passage.lsh)
    expect(record?.value).toMatchObject({ tgzt: '2', bgzt: '0' })
  })

  it('gives two reads of the same second distinct serial numbers by bumping the time', async () => {
    const first = (await app.router.dispatch('plate.submit', { laneId: 'in1', plate: '豫A11111', colour: '1' }, GUARD_CONTEXT)) as { ok: true; result: Passage }
    // Three different trucks: the same plate again would be merged as a duplicate read (Lane issue).
    const pushes = await Promise.all(['豫A11112', '豫A11113', '豫A11114'].map((plate) => submit({ laneId: 'in1', plate, colour: '1' })))
    const serials = [first, ...pushes].map((reply) => (reply as { ok: true; result: Passage }).result.lsh)
    expect(new Set(serials).size).toBe(4)
    for (const lsh of serials) expect(lsh).toMatch(LSH_PATTERN)
  })
})

describe('when the platform does not answer', () => {
  it('decides offline: the guard decides an unknown truck, a cached verdict is reused, the upload waits', async () => {
    // Verified once on the exit lane (a second read on in1 this soon would be merged as a duplicate).
    await submit({ laneId: 'out1', plate: '豫A00003', colour: '1' })
    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'down' }) })

    const unknown = ((await submit({ laneId: 'in1', plate: '豫B54321', colour: '1' })) as { ok: true; result: Passage }).result
    expect(unknown).toMatchObject({ decision: 'guard', reasonCode: 'no_verdict', decidedOffline: true, bgzt: '0' })
    const cached = ((await submit({ laneId: 'in1', plate: '豫A00003', colour: '1' })) as { ok: true; result: Passage }).result
    expect(cached).toMatchObject({ decision: 'refuse', reasonCode: 'cache_control', decidedOffline: true })

    await eventually('sync to notice the outage', async () => ((await app.sync.status()).online ? undefined : true))
    expect(app.store.passages.get(unknown.id)?.upload).toBe('pending')

    await fetch(`${sim.url}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'none' }) })
    await uploaded(unknown.lsh)
    await uploaded(cached.lsh)
    const sent = sim.requests().filter((r) => r.ipctype === 'shareDrivingRecord' && r.httpStatus === 200 && r.reply?.code === '200')
    expect(sent.map((r) => r.value?.lsh).sort()).toEqual(app.store.passages.latest(10).map((p) => p.lsh).sort())
  })
})

describe('bad input gets a clear error and leaves no row behind', () => {
  it.each([
    ['an unknown lane', { laneId: 'nope', plate: '豫A12345', colour: '1' }, 'unknown_lane', /未知车道/],
    ['an empty plate', { laneId: 'in1', plate: '', colour: '1' }, 'invalid_input', /车牌号不能为空/],
    ['a 30-character plate', { laneId: 'in1', plate: '豫A' + '1'.repeat(28), colour: '1' }, 'invalid_input', /过长/],
    ['an invalid colour code', { laneId: 'in1', plate: '豫A12345', colour: '9' }, 'invalid_input', /B7\.1/],
    ['an unexpected field', { laneId: 'in1', plate: '豫A12345', colour: '1', lsh: 'x' }, 'invalid_input', /lsh/]
  ])('%s', async (_name, input, code, message) => {
    const reply = await submit(input)
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe(code)
    expect(reply.error.message).toMatch(message)
    expect(rowCount('passages')).toBe(0)
    expect(rowCount('outbox')).toBe(0)
    expect(sim.requests().filter((r) => r.ipctype === 'getCheckVehicle')).toHaveLength(0)
  })

  it('an unknown command is refused by name', async () => {
    const reply = await app.router.dispatch('barrier.openAll', {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_command' } })
  })
})

describe('LPR push endpoint', () => {
  it('records a pushed read with its photo and uploads the photo after the record', async () => {
    const jpeg = tinyJpeg(4096)
    // The camera's own time of the read, a minute ago (within the 5 minutes a camera clock may be off), to the second.
    const readAt = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000)
    const reply = await postJson(`${app.lpr.url}/lpr/in1`, {
      plate: '豫A66666',
      colour: '1',
      confidence: 0.96,
      recognizedAt: readAt.toISOString(),
      images: { front: jpeg.toString('base64') }
    })
    expect(reply.status).toBe(201)
    expect(reply.body).toMatchObject({ lsh: makeLsh({ enterpriseCode: '4110020001', gateCode: '01', direction: 'in', at: readAt }), decision: 'allow', warnings: [] })
    await uploaded(reply.body.lsh)
    const calls = sim.requests().filter((r) => r.value?.lsh === reply.body.lsh)
    expect(calls.map((r) => r.ipctype)).toEqual(['shareDrivingRecord', 'sharePhotoInfo'])
    expect(calls[1]!.value).toMatchObject({ zpbh: '1', zplx: '1', pzsj: formatSpecDateTime(readAt), cphm: '豫A66666' })
    expect(calls[1]!.photo?.bytes).toBe(jpeg.length)
  })

  it('keeps the passage but reports a photo that is not a JPEG', async () => {
    const reply = await postJson(`${app.lpr.url}/lpr/in1`, { plate: '豫A77777', colour: '1', images: { front: Buffer.from('GIF89a not a jpeg').toString('base64') } })
    expect(reply.status).toBe(201)
    expect(reply.body.warnings).toEqual([expect.stringMatching(/前照未保存：照片不是 JPEG 格式/)])
    expect(rowCount('passages')).toBe(1)
    expect(rowCount('photos')).toBe(0)
  })

  it('answers 404 for an unknown lane and 400 for malformed JSON or a bad plate, storing nothing', async () => {
    expect((await postJson(`${app.lpr.url}/lpr/gate9`, { plate: '豫A12345', colour: '1' })).status).toBe(404)
    const garbled = await fetch(`${app.lpr.url}/lpr/in1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"plate": "豫A' })
    expect(garbled.status).toBe(400)
    const badPlate = await postJson(`${app.lpr.url}/lpr/in1`, { plate: 'hello', colour: '1' })
    expect(badPlate.status).toBe(400)
    expect(badPlate.body.error.issues[0].path).toBe('plate')
    expect(rowCount('passages')).toBe(0)
  })
})
