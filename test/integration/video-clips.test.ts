import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Passage, PassageClip, VehicleClass } from '@shared/contract'
import type { CallContext } from '../../src/main/core/api'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { openStore } from '../../src/main/booth/store'
import { durationMs } from '../../src/main/booth/video'
import { retentionCutoff, sweepRetention } from '../../src/main/booth/retention/sweep'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { frameClockSecond, NVR_PASSWORD, NVR_USER, startSimNvr, stopSimNvr, type SimNvr } from './nvr-support'
import { ADMIN_CONTEXT, eventually, GUARD_CONTEXT, tempDir } from './support'
import { exportedPassageRows } from './zip-reader'

/**
 * Clips of passages from the NVR simulator (its own process, ISAPI ContentMgmt with digest auth), through the
 * single-gate role: lane in1 is filmed by channel 101. Reads are dated a minute back, so the whole clip period is
 * already recorded and the fetch can start at once.
 */
let nvr: SimNvr
let platform: PlatformSim
let app: SingleGate
let dataDir: string
let logs: string[]

async function call<T>(command: string, input: unknown, context: CallContext = GUARD_CONTEXT): Promise<T> {
  const reply = await app.router.dispatch(command, input, context)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.code} ${reply.error.message}`)
  return reply.result as T
}

async function read(plate: string, at: number, vehicleClass?: VehicleClass): Promise<Passage> {
  const result = await app.lanes.handlePlateRead({ laneId: 'in1', plate, colour: '1', at, source: 'lpr', ...(vehicleClass ? { vehicleClass } : {}) })
  const passage = result.passage ?? (await result.decided)
  if (!passage) throw new Error(`no passage for ${plate}`)
  return passage
}

const clipsOf = (passageId: number) => call<PassageClip[]>('passage.clips', { passageId })

async function clipIn(passageId: number, state: PassageClip['state'], timeoutMs = 20_000): Promise<PassageClip> {
  return eventually(`clip of passage ${passageId} ${state}`, async () => (await clipsOf(passageId)).find((clip) => clip.state === state), timeoutMs)
}

/** Lane in1 filmed through ISAPI (track 101) or ONVIF Profile G (the simulator's device service, recording rec1). */
async function startApp(nvrUrl: string, requestTimeoutMs = 5_000, secrets: Record<string, string> = { TEST_NVR_PASSWORD: NVR_PASSWORD }, kind: 'hikvision-isapi' | 'onvif-profile-g' = 'hikvision-isapi'): Promise<void> {
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  const channel =
    kind === 'hikvision-isapi' ? { kind, url: nvrUrl, channel: '101' } : { kind, url: `${nvrUrl}/onvif/device_service`, channel: 'rec1' }
  const config = parseConfig(
    {
      ...base,
      lanes: [
        { ...base.lanes[0]!, nvr: [{ name: '1号录像机', ...channel, username: NVR_USER, passwordEnv: 'TEST_NVR_PASSWORD', keepDays: 1, requestTimeoutMs }] },
        base.lanes[1]!
      ],
      sync: { intervalMs: 100, maxBackoffMs: 200 },
      laneTiming: { decisionHoldMs: 1_000 },
      video: { fetchDelaySeconds: 0, minBackoffMs: 300, maxBackoffMs: 600, noRecordingGraceSeconds: 0 }
    },
    dataDir
  )
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: false, log: (line) => logs.push(line), secrets })
}

beforeAll(async () => {
  nvr = await startSimNvr({ retainHours: 1 })
})

afterAll(() => stopSimNvr(nvr))

beforeEach(async () => {
  await nvr.fault('none')
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  dataDir = tempDir('video')
  logs = []
  await startApp(nvr.url)
})

afterEach(async () => {
  await app.close()
  await platform.close()
})

describe('clip of a refused truck', () => {
  it('is fetched, remuxed to a playable MP4 of the period, its clock at the read time, and retained with the passage', async () => {
    const readAt = Date.now() - 60_000
    const refused = await read('豫A00003', readAt)
    expect(refused.decision).toBe('refuse')
    const stored = await clipIn(refused.id, 'stored')
    expect(stored).toMatchObject({ recorder: '1号录像机', channel: '101', cause: '拒绝通行', start: new Date(readAt - 10_000).toISOString(), end: new Date(readAt + 20_000).toISOString() })

    const row = app.store.clips.forPassage(refused.id)[0]!
    const file = join(app.store.clipRoot, row.path!)
    expect(row.path).toBe(join(row.path!.slice(0, 10), `${refused.lsh}_101.mp4`))
    // Playable: ffprobe reads the container's duration, within 1 s of the 30 s asked for.
    expect(Math.abs((await durationMs(file)) - 30_000)).toBeLessThanOrEqual(1_000)
    // Remuxed, not re-encoded: the recorder's H.264 went into the MP4 as it was.
    expect(logs.find((line) => line.includes(refused.lsh) && line.includes('stored'))).toMatch(/\(copy\)$/)
    // The frame 10 s in shows the read's second (burnt-in clock, read back from the frame's time squares).
    expect(Math.abs(frameClockSecond(file, 10) - Math.floor(readAt / 1000))).toBeLessThanOrEqual(2)
    expect(Math.abs(frameClockSecond(file, 0.2) - Math.floor((readAt - 10_000) / 1000))).toBeLessThanOrEqual(2)

    // The player gets the MP4 (ftyp box first, moov before the media: +faststart).
    const video = await call<{ base64: string }>('passage.clip.video', { passageId: refused.id, channel: '101' })
    const mp4 = Buffer.from(video.base64, 'base64')
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp')
    expect(mp4.indexOf('moov')).toBeLessThan(mp4.indexOf('mdat'))

    // An allowed truck keeps only the reference, until an admin asks for it.
    const allowed = await read('豫A00005', Date.now() - 50_000)
    expect(allowed.decision).toBe('allow')
    expect(await clipsOf(allowed.id)).toMatchObject([{ state: 'reference', cause: null }])
    await call('passage.clip.request', { passageId: allowed.id }, ADMIN_CONTEXT)
    expect(await clipIn(allowed.id, 'stored')).toMatchObject({ cause: '管理员调取' })

    // A clip file changed on disk is not played as evidence.
    const original = readFileSync(file)
    writeFileSync(file, Buffer.concat([original, Buffer.from('tampered')]))
    const refusedPlay = await app.router.dispatch('passage.clip.video', { passageId: refused.id, channel: '101' }, GUARD_CONTEXT)
    expect(refusedPlay).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/已被改动/) } })
    writeFileSync(file, original)

    // Retention: once the passage is uploaded and past the cutoff, its clip goes with it.
    await eventually('uploaded', () => (app.store.passages.get(refused.id)!.upload === 'uploaded' ? true : undefined))
    const swept = sweepRetention(app.store, retentionCutoff(new Date(Date.now() + 400 * 24 * 3600_000), 12))
    expect(swept.passagesDeleted).toBeGreaterThanOrEqual(1)
    expect(existsSync(file)).toBe(false)
    expect(app.store.clips.forPassage(refused.id)).toEqual([])
  })
})

describe('the period export', () => {
  it('the workbook (read back with exceljs) has the camera’s 车型 in Chinese beside the plate, empty where the camera gave none', async () => {
    const classified = await read('豫A00003', Date.now() - 60_000, 'large_truck')
    const unclassified = await read('豫A00005', Date.now() - 50_000)
    const beijingDay = (at: string) => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10)
    const file = await call<{ fileName: string; base64: string }>(
      'video.export',
      { from: beijingDay(classified.recognizedAt), to: beijingDay(unclassified.recognizedAt), laneId: 'in1' },
      ADMIN_CONTEXT
    )
    const [header, ...rows] = await exportedPassageRows(Buffer.from(file.base64, 'base64'))
    const column = header!.indexOf('车型')
    expect(header!.slice(column - 2, column + 2)).toEqual(['车牌号码', '车牌颜色', '车型', '判定'])
    const rowOf = (lsh: string) => rows.find((row) => row[0] === lsh)!
    expect(rowOf(classified.lsh)[column]).toBe('大型货车')
    expect(rowOf(unclassified.lsh)[column] ?? '').toBe('')
    // Chinese only: no class id anywhere in the workbook.
    expect(JSON.stringify(rows)).not.toMatch(/large_truck/)
  })
})

describe('the recorder unreachable or faulty', () => {
  it('NVR down for a while: the fetch is retried with the reason, and the clip arrives once the NVR is back', async () => {
    const port = nvr.port
    await stopSimNvr(nvr)
    const refused = await read('豫A00004', Date.now() - 60_000)
    const waiting = await eventually('two failed attempts', async () => (await clipsOf(refused.id)).find((clip) => clip.state === 'pending' && clip.attempts >= 2))
    expect(waiting.error).toMatch(/无法连接录像机/)
    // Neither the lane nor the upload waits for the video.
    await eventually('uploaded while the NVR is down', () => (app.store.passages.get(refused.id)!.upload === 'uploaded' ? true : undefined))
    expect(app.lanes.state('in1').phase).not.toBe('error')

    nvr = await startSimNvr({ port, retainHours: 1 })
    const stored = await clipIn(refused.id, 'stored')
    expect(stored.error).toBeNull()
    expect(stored.attempts).toBeGreaterThanOrEqual(3)
  })

  it('a download cut half way, then refused credentials: retried with each reason until the recorder serves it', async () => {
    await nvr.fault('disconnect')
    const refused = await read('豫A00003', Date.now() - 60_000)
    const cut = await eventually('a cut download', async () => (await clipsOf(refused.id)).find((clip) => clip.attempts >= 1 && clip.error !== null))
    expect(cut).toMatchObject({ state: 'pending' })
    expect(cut.error).toMatch(/断开了连接/)
    await nvr.fault('unauthorized')
    await eventually('401 reason', async () => ((await clipsOf(refused.id))[0]!.error?.includes('用户名或密码') ? true : undefined))
    await nvr.fault('none')
    expect(await clipIn(refused.id, 'stored')).toMatchObject({ state: 'stored' })
  })

  it('a recorder slower than the request timeout: the attempt is given up as a timeout and tried again', async () => {
    await app.close()
    await startApp(nvr.url, 800)
    await nvr.fault('slow', 1_500)
    const refused = await read('豫A00004', Date.now() - 60_000)
    const slow = await eventually('a timed-out attempt', async () => (await clipsOf(refused.id)).find((clip) => clip.attempts >= 1 && clip.error !== null))
    expect(slow).toMatchObject({ state: 'pending', error: '录像机响应超时' })
    await nvr.fault('none')
    expect(await clipIn(refused.id, 'stored')).toMatchObject({ state: 'stored' })
  })

  it('no recorder password set: the clip waits, saying which variable to set', async () => {
    await app.close()
    await startApp(nvr.url, 5_000, {})
    const refused = await read('豫A00003', Date.now() - 60_000)
    const waiting = await eventually('an attempt', async () => (await clipsOf(refused.id)).find((clip) => clip.attempts >= 1))
    expect(waiting).toMatchObject({ state: 'pending', error: expect.stringContaining('TEST_NVR_PASSWORD') })
  })

  it('a period the NVR no longer holds is marked missing with its reason; one past the NVR keeping time without asking it', async () => {
    const overwritten = await read('豫A00003', Date.now() - 2 * 3600_000)
    const missing = await clipIn(overwritten.id, 'missing')
    expect(missing.error).toMatch(/录像机上没有该时段的录像/)

    const before = await nvr.counters()
    const ancient = await read('豫A00004', Date.now() - 3 * 24 * 3600_000)
    const expired = await clipIn(ancient.id, 'missing')
    expect(expired.error).toMatch(/超出保存期/)
    expect((await nvr.counters()).searches).toBe(before.searches)
  })

  it('a passage a crash left without its clip reference gets it, and its fetch, at the next start', async () => {
    const refused = await read('豫A00004', Date.now() - 60_000)
    await app.close()
    const store = openStore(dataDir)
    store.db.prepare('DELETE FROM passage_clips WHERE passage_id = ?').run(refused.id)
    store.close()
    await startApp(nvr.url)
    expect(await clipIn(refused.id, 'stored')).toMatchObject({ cause: '拒绝通行' })
  })
})

describe('a lane filmed by an ONVIF Profile G recorder (Recording Search, GetReplayUri, RTSP replay)', () => {
  beforeEach(async () => {
    await app.close()
    await startApp(nvr.url, 5_000, undefined, 'onvif-profile-g')
  })

  it('a refused truck’s clip is replayed, remuxed to an MP4 of the period, its clock at the read time', async () => {
    const readAt = Date.now() - 60_000
    const refused = await read('豫A00003', readAt)
    expect(refused.decision).toBe('refuse')
    const stored = await clipIn(refused.id, 'stored')
    expect(stored).toMatchObject({ channel: 'rec1', cause: '拒绝通行', start: new Date(readAt - 10_000).toISOString(), end: new Date(readAt + 20_000).toISOString() })
    const row = app.store.clips.forPassage(refused.id)[0]!
    const file = join(app.store.clipRoot, row.path!)
    expect(row.path).toBe(join(row.path!.slice(0, 10), `${refused.lsh}_rec1.mp4`))
    expect(Math.abs((await durationMs(file)) - 30_000)).toBeLessThanOrEqual(1_000)
    expect(logs.find((line) => line.includes(refused.lsh) && line.includes('stored'))).toMatch(/\(copy\)$/)
    expect(Math.abs(frameClockSecond(file, 10) - Math.floor(readAt / 1000))).toBeLessThanOrEqual(2)
    expect((await nvr.counters()).completeReplays).toBeGreaterThanOrEqual(1)
  })

  it('NVR down for a while: retried with the reason, and the clip arrives once the NVR is back', async () => {
    const port = nvr.port
    await stopSimNvr(nvr)
    const refused = await read('豫A00004', Date.now() - 60_000)
    const waiting = await eventually('two failed attempts', async () => (await clipsOf(refused.id)).find((clip) => clip.state === 'pending' && clip.attempts >= 2))
    expect(waiting.error).toMatch(/无法连接录像机/)
    expect(app.lanes.state('in1').phase).not.toBe('error')
    nvr = await startSimNvr({ port, retainHours: 1 })
    expect(await clipIn(refused.id, 'stored')).toMatchObject({ error: null })
  })

  it('a replay cut mid-stream, then garbage instead of RTSP: retried with each reason until the recorder serves it', async () => {
    await nvr.fault('disconnect')
    const refused = await read('豫A00003', Date.now() - 60_000)
    const cut = await eventually('a cut replay', async () => (await clipsOf(refused.id)).find((clip) => clip.attempts >= 1 && clip.error !== null))
    expect(cut).toMatchObject({ state: 'pending' })
    expect(cut.error).toMatch(/中途断开了回放连接/)
    await nvr.fault('rtsp-garbage')
    await eventually('garbage reason', async () => ((await clipsOf(refused.id))[0]!.error?.includes('不是 RTSP 格式') ? true : undefined))
    await nvr.fault('none')
    expect(await clipIn(refused.id, 'stored')).toMatchObject({ state: 'stored' })
  })

  it('a period the recorder no longer holds is marked missing with its reason', async () => {
    const overwritten = await read('豫A00003', Date.now() - 2 * 3600_000)
    expect((await clipIn(overwritten.id, 'missing')).error).toMatch(/录像机上没有该时段的录像/)
  })
})
