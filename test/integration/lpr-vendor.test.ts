import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { postJson, tempDir } from './support'

let platform: PlatformSim
let app: SingleGate

beforeEach(async () => {
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const config = demoConfig({ dataDir: tempDir('lpr-vendor'), platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
})

afterEach(async () => {
  await app.close()
  await platform.close()
})

async function sceneJpeg(): Promise<string> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#446688' } }).jpeg().toBuffer()
  return jpeg.toString('base64')
}

/** A 臻识 AlarmInfoPlate push as the camera sends it, with the fields a real one carries besides ours. */
function vzenith(plateResult: Record<string, unknown>) {
  return {
    AlarmInfoPlate: {
      channel: 0,
      deviceName: 'IVS',
      ipaddr: '192.168.1.100',
      serialno: 'a1b2c3d4-e5f60718',
      result: { PlateResult: { plateid: 17, direction: 4, type: 1, triggerType: 8, isoffline: 0, ...plateResult } }
    }
  }
}

const push = (body: unknown) => postJson(`${app.lpr.url}/lpr/in1`, body)

describe('臻识 (Vzenith) AlarmInfoPlate push', () => {
  it('maps licence, colorType, confidence, time and the scene picture onto a passage', async () => {
    // The camera's time of the read, a minute ago: within the 5 minutes its clock may be off from the booth's.
    const sec = Math.floor(Date.now() / 1000) - 60
    const reply = await push(vzenith({ license: '豫A00005', colorType: 2, confidence: 92, imageFile: await sceneJpeg(), timeStamp: { Timeval: { sec, usec: 250_000 } } }))
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ Response_AlarmInfoPlate: { info: 'no' }, decision: 'allow', confidence: 0.92, warnings: [] })
    const [passage] = app.store.passages.latest(1)
    expect(passage).toMatchObject({ lsh: reply.body.lsh, plate: '豫A00005', plateColour: '1', source: 'lpr', photoCount: 1 })
    expect(Date.parse(passage!.recognizedAt)).toBe(sec * 1000 + 250)
  })

  it('maps the green new-energy colour to B7.1 4, an unknown colour to 5, and uses the plate close-up when there is no scene picture', async () => {
    const green = await push(vzenith({ license: '豫AD00006', colorType: 5, confidence: 88, imageFragmentFile: await sceneJpeg() }))
    expect(green.status).toBe(200)
    const unknown = await push(vzenith({ license: '豫A00004', colorType: 0 }))
    expect(unknown.status).toBe(200)
    const passages = app.store.passages.latest(5)
    expect(passages.find((p) => p.plate === '豫AD00006')).toMatchObject({ plateColour: '4', photoCount: 1 })
    expect(passages.find((p) => p.plate === '豫A00004')).toMatchObject({ plateColour: '5', photoCount: 0 })
  })

  it('refuses a bad push with a 400 naming the field, records nothing for it, and keeps what was recorded before', async () => {
    const good = await push(vzenith({ license: '豫A00005', colorType: 2 }))
    expect(good.status).toBe(200)

    const badPlate = await push(vzenith({ license: 'hello', colorType: 2 }))
    expect(badPlate.status).toBe(400)
    expect(badPlate.body.error.issues).toEqual([expect.objectContaining({ path: 'AlarmInfoPlate.result.PlateResult.license' })])
    const badImage = await push(vzenith({ license: '豫A00005', imageFile: '***not base64***' }))
    expect(badImage.status).toBe(400)
    expect(badImage.body.error.message).toContain('imageFile')
    const noResult = await push({ AlarmInfoPlate: { serialno: 'x' } })
    expect(noResult.status).toBe(400)
    expect(noResult.body.error.issues[0].path).toBe('AlarmInfoPlate.result')

    // Only the good push became a passage, and it is intact.
    expect(app.store.passages.latest(10)).toEqual([expect.objectContaining({ lsh: good.body.lsh, plate: '豫A00005' })])
  })

  it('still takes the generic format on the same endpoint, echoing its confidence', async () => {
    const reply = await push({ plate: '豫A00005', colour: '1', confidence: 0.8 })
    expect(reply.status).toBe(201)
    expect(reply.body).toMatchObject({ decision: 'allow', confidence: 0.8 })
    expect(reply.body.Response_AlarmInfoPlate).toBeUndefined()
  })
})
