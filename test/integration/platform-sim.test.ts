import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { driving, organ } from './platform-fixtures'
import { postJson, tinyJpeg } from './support'

let sim: PlatformSim

async function login(password = 'pw') {
  return postJson(`${sim.baseUrl}/restapi/transportControl/get_data`, { organ, ipctype: 'getAccessToken', username: 'gate01', password })
}

async function put(ipctype: string, value: Record<string, string>, token: string) {
  return postJson(`${sim.baseUrl}/restapi/transportControl/put_data`, { organ, ipctype, access_token: token, value })
}

// The record as the booth sends it before the truck has left: one moment in both times (ERRATA E27).
const record = { ...driving, tgsjz: driving.tgsjq }

beforeEach(async () => {
  sim = await startPlatformSim({ organ, username: 'gate01', password: 'pw', vehicles: demoVehicles })
})
afterEach(() => sim.close())

describe('city-platform simulator', () => {
  it('logs in with the right credentials only, and never records the password', async () => {
    const ok = await login()
    expect(ok.body).toMatchObject({ code: '200', access_token: expect.stringMatching(/^[0-9A-F]{32}$/), datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) })
    expect((await login('wrong')).body.code).toBe('401')
    expect(JSON.stringify(sim.requests())).not.toContain('"pw"')
  })

  it('answers getCheckVehicle per vehicle, and only with a valid token', async () => {
    const token = (await login()).body.access_token
    const check = (plate: string, access_token: string) =>
      postJson(`${sim.baseUrl}/restapi/transportControl/get_data`, { organ, ipctype: 'getCheckVehicle', access_token, value: { license: plate, licenseColor: '1' } })
    expect((await check('豫A00003', token)).body.value).toMatchObject({ isControl: '1', emissionStandard: '4', fuelType: 'B' })
    expect((await check('豫A12345', token)).body.value).toMatchObject({ isControl: '0', emissionStandard: '6' })
    expect((await check('豫A12345', 'BOGUS')).body.code).toBe('401')
    await fetch(`${sim.url}/__sim/tokens/expire`, { method: 'POST' })
    expect((await check('豫A12345', token)).body.code).toBe('401')
  })

  it('accepts a valid shareDrivingRecord and refuses bad ones with 952 naming the field', async () => {
    const token = (await login()).body.access_token
    expect((await put('shareDrivingRecord', record, token)).body).toMatchObject({ code: '200' })
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...record, cpys: '9' }, /value\.cpys/],
      [{ ...record, lsh: record.lsh.slice(0, 24) }, /value\.lsh: 不符合 A6\.4/],
      [{ ...record, lsh: '411002000201A261124093015' }, /企业编号与 qybh 不一致/],
      [{ ...record, tgzt: '2' }, /进出状态与 tgzt 不一致/],
      [{ ...record, tgsjq: '2026-02-30 09:30:15' }, /value\.tgsjq/],
      [{ ...record, extra: 'x' }, /value\.extra: 未定义的字段/]
    ]
    for (const [value, problem] of cases) {
      const reply = await put('shareDrivingRecord', value, token)
      expect(reply.body.code).toBe('952')
      expect(reply.body.status).toMatch(problem)
    }
    const { bgzt: _omitted, ...missing } = record
    expect((await put('shareDrivingRecord', missing, token)).body.status).toMatch(/value\.bgzt: 缺少字段/)
  })

  it('takes sharePhotoInfo as multipart file + info, checking the JPEG and its size', async () => {
    const token = (await login()).body.access_token
    const send = async (jpeg: Buffer) => {
      const form = new FormData()
      form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), `${record.lsh}_1.jpg`)
      const value = { ...record, zpbh: '1', zplx: '1', base64Image: jpeg.toString('base64'), pzsj: record.tgsjq }
      delete (value as Partial<typeof value>).tgsjq
      delete (value as Partial<typeof value>).tgsjz
      delete (value as Partial<typeof value>).tgzt
      delete (value as Partial<typeof value>).bgzt
      form.append('info', JSON.stringify({ organ, ipctype: 'sharePhotoInfo', access_token: token, value }))
      const response = await fetch(`${sim.baseUrl}/restapi/transportControl/put_file`, { method: 'POST', body: form })
      return response.json()
    }
    const jpeg = tinyJpeg(5000)
    expect(await send(jpeg)).toMatchObject({ code: '200' })
    expect(sim.requests().at(-1)).toMatchObject({ ipctype: 'sharePhotoInfo', photo: { bytes: 5000 }, value: { base64Image: { bytes: 5000 } } })
    expect(((await send(Buffer.from('GIF89a....'))) as any).status).toMatch(/不是 JPEG/)
    expect(((await send(tinyJpeg(1_000_001))) as any).status).toMatch(/超过 1M/)
  })

  it('injects faults on command, and records every request', async () => {
    const fault = (body: object) => fetch(`${sim.url}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    await fault({ mode: 'http500', times: 1 })
    expect((await login()).status).toBe(500)
    expect((await login()).body.code).toBe('200')
    await fault({ mode: 'garbage', times: 1 })
    const garbage = await fetch(`${sim.baseUrl}/restapi/transportControl/get_data`, { method: 'POST', body: '{}' })
    expect(await garbage.text()).toContain('not json')
    await fault({ mode: 'down' })
    await expect(login()).rejects.toThrow()
    await fault({ mode: 'none' })
    expect((await login()).body.code).toBe('200')
    // Faulted requests are recorded too, marked with the fault: commissioning wants to see everything that was sent.
    const recorded = (await (await fetch(`${sim.url}/__sim/requests?ipctype=getAccessToken`)).json()) as any[]
    expect(recorded.map((r) => [r.fault ?? 'answered', r.httpStatus])).toEqual([
      ['http500', 500],
      ['answered', 200],
      ['down', 0],
      ['answered', 200]
    ])
    const all = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as any[]
    expect(all.find((r) => r.fault === 'garbage')).toMatchObject({ shape: 'flat', ipctype: null, reply: '\u0000{not json' })
  })
})
