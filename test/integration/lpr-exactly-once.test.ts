import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { openStore } from '../../src/main/booth/store'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { eventually, postJson, tempDir, tinyJpeg } from './support'

let platform: PlatformSim
let dataDir: string
let app: SingleGate | null = null

const start = async () => {
  app = await startSingleGate({ config: demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 }), platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
  return app
}
const stop = async () => {
  await app?.close()
  app = null
}

beforeEach(async () => {
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  dataDir = tempDir('exactly-once')
})

afterEach(async () => {
  await stop()
  await platform.close()
})

const push = (body: unknown, laneId = 'in1') => postJson(`${app!.lpr.url}/lpr/${laneId}`, body)
const passagesOf = (plate: string) => app!.store.passages.list({ limit: 100 }).filter((passage) => passage.plate === plate)
const secondsAgo = (seconds: number) => Math.floor(Date.now() / 1000) - seconds

function vzenith(license: string, sec: number) {
  return { AlarmInfoPlate: { serialno: 'a1b2c3d4-e5f60718', result: { PlateResult: { license, colorType: 2, plateid: 4711, timeStamp: { Timeval: { sec } } } } } }
}

describe('a camera re-sending a read', () => {
  it('after a restart gets the passage its first send became: by event id, by 臻识 serial and plateid, by the same camera time', async () => {
    await start()
    const at = new Date(secondsAgo(30) * 1000).toISOString()
    const reads = [
      { plate: '豫A00005', colour: '1', eventId: 'cam-in1-000815', recognizedAt: at },
      vzenith('豫A10004', secondsAgo(20)),
      { plate: '豫A00006', colour: '1', recognizedAt: at }
    ]
    const first = []
    for (const read of reads) first.push(await push(read))
    expect(first.map((reply) => reply.status)).toEqual([201, 200, 201])
    await stop()

    // The booth restarted: nothing about these reads is left in memory.
    await start()
    const again = []
    for (const read of reads) again.push(await push(read))
    expect(again.map((reply) => reply.status)).toEqual([201, 200, 201])
    expect(again.map((reply) => reply.body.outcome)).toEqual(['merged', 'merged', 'merged'])
    expect(again.map((reply) => reply.body.lsh)).toEqual(first.map((reply) => reply.body.lsh))
    for (const plate of ['豫A00005', '豫A10004', '豫A00006']) expect(passagesOf(plate)).toHaveLength(1)
  })

  it('a read kept but not decided when the booth stopped (a queued truck) is decided at the next start, with its photo, once', async () => {
    // What the booth had kept of a truck queued behind another when it died: the read's row and its photo file.
    const store = openStore(dataDir)
    const photo = tinyJpeg(3000)
    const at = Date.now() - 5_000
    const files = await store.inboxPhotos.write([{ zpbh: '1', jpeg: photo }])
    store.cameraReads.addUnlessRepeat({ laneId: 'in1', eventId: 'cam-in1-000816', plate: '豫A00004', colour: '1', at, cameraAt: at, source: '192.168.1.64', photos: files, receivedAt: at, vehicleClass: 'large_truck' }, 15_000)
    store.close()

    await start()
    const [passage] = await eventually('the queued read to be decided', () => {
      const found = passagesOf('豫A00004')
      return found.length > 0 ? found : undefined
    })
    // The camera's vehicle class was kept with the read: the passage decided after the restart still has it.
    expect(passage).toMatchObject({ source: 'lpr', photoCount: 1, recognizedAt: new Date(at).toISOString(), vehicleClass: 'large_truck' })
    await eventually('the inbox photo to be removed', () => (readdirSync(join(dataDir, 'inbox')).length === 0 ? true : undefined))
    const resent = await push({ plate: '豫A00004', colour: '1', eventId: 'cam-in1-000816', recognizedAt: new Date(at).toISOString() })
    expect(resent).toMatchObject({ status: 201, body: { outcome: 'merged', lsh: passage!.lsh } })
    expect(passagesOf('豫A00004')).toHaveLength(1)
  })

  it('a read the lane could not record is answered 503 (the camera sends it again), and the re-send is recorded once', async () => {
    await start()
    // The photo folder cannot be made: recording the passage fails as it would on a broken disk.
    writeFileSync(join(dataDir, 'photos'), 'not a folder')
    const read = { plate: '豫A00006', colour: '1', eventId: 'cam-in1-000817', images: { front: tinyJpeg(3000).toString('base64') } }
    const failed = await push(read)
    expect(failed).toMatchObject({ status: 503, body: { error: { code: 'unavailable', message: expect.stringContaining('请摄像机稍后重发') } } })
    expect(passagesOf('豫A00006')).toHaveLength(0)

    rmSync(join(dataDir, 'photos'))
    const resent = await push(read)
    expect(resent).toMatchObject({ status: 201, body: { outcome: 'recorded' } })
    const again = await push(read)
    expect(again).toMatchObject({ status: 201, body: { outcome: 'merged', lsh: resent.body.lsh } })
    expect(passagesOf('豫A00006')).toEqual([expect.objectContaining({ photoCount: 1 })])
  })
})

describe('camera clock sanity', () => {
  it('a camera time of 2099 or 1970 is recorded as the booth time, the camera time kept, and one alarm per lane in Chinese', async () => {
    await start()
    const before = Date.now()
    const future = await push({ plate: '豫A00005', colour: '1', recognizedAt: '2099-01-01T08:00:00+08:00' })
    const past = await push(vzenith('豫A00004', 1))
    expect(future.status).toBe(201)
    expect(past.status).toBe(200)
    for (const plate of ['豫A00005', '豫A00004']) {
      const [passage] = passagesOf(plate)
      expect(Math.abs(Date.parse(passage!.recognizedAt) - before)).toBeLessThan(60_000)
    }
    const kept = app!.store.db.prepare('SELECT plate, camera_at AS cameraAt FROM camera_reads ORDER BY id').all()
    expect(kept).toEqual([
      { plate: '豫A00005', cameraAt: Date.parse('2099-01-01T08:00:00+08:00') },
      { plate: '豫A00004', cameraAt: 1000 }
    ])
    const alarms = app!.alarms.list(10, true).filter((alarm) => alarm.kind === 'camera_clock')
    expect(alarms).toEqual([expect.objectContaining({ laneId: 'in1', message: expect.stringMatching(/摄像机时间（2099-01-01 08:00:00）比本机校正后的时间快 .* 天.*已按本机时间.*请校准摄像机时钟/) })])

    // Nothing of 2099 reaches the platform.
    await eventually('the record uploaded', () => (platform.requests().some((request) => request.ipctype === 'shareDrivingRecord' && request.value?.cphm === '豫A00005') ? true : undefined))
    const uploaded = platform.requests().filter((request) => request.value?.cphm === '豫A00005')
    expect(uploaded.every((request) => !JSON.stringify(request.value).includes('2099'))).toBe(true)
  })

  it('a camera a minute off keeps its own time', async () => {
    await start()
    const sec = secondsAgo(60)
    expect((await push(vzenith('豫A00006', sec))).status).toBe(200)
    expect(Date.parse(passagesOf('豫A00006')[0]!.recognizedAt)).toBe(sec * 1000)
    expect(app!.alarms.list(10, true).filter((alarm) => alarm.kind === 'camera_clock')).toEqual([])
  })
})
