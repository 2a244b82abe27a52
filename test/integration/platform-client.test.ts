import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { PlatformUnavailableError, TOKEN_REFRESH_AFTER_MS, type PlatformClock } from '../../src/main/core/platform'
import type { PlatformSim } from '../../src/sim/platform/server'
import { clientFor, credentials, driving, goods, injectFault, innerVehicle, machine, photo, putDataRecords, startSim, vehicle } from './platform-fixtures'
import { tinyJpeg } from './support'

let sim: PlatformSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function simWith(options: Parameters<typeof startSim>[0] = {}): Promise<PlatformSim> {
  sim = await startSim(options)
  return sim
}

const logins = (s: PlatformSim) => s.requests().filter((r) => r.ipctype === 'getAccessToken').length

describe('platform client: the eight 4.1 interfaces against the simulator', () => {
  it('4.1.1 logs in once at start, reuses the token, and never lets the password or token reach a record', async () => {
    const s = await simWith()
    const client = clientFor(s)
    expect(await client.connect()).toMatchObject({ kind: 'ok' })
    expect(client.status()).toMatchObject({ reachable: true, loggedIn: true, lastError: null })
    for (const [ipctype, value] of putDataRecords) expect(await client.putData(ipctype, value), ipctype).toMatchObject({ kind: 'ok' })
    expect(logins(s)).toBe(1)
    const recorded = JSON.stringify(s.requests())
    expect(recorded).not.toContain(credentials.password)
    expect(s.requests().find((r) => r.ipctype === 'shareInnerVehInfo')!.value!.accessToken).toBe('***')
  })

  it('4.1.1 with a wrong password gives a retry outcome, not an exception', async () => {
    const s = await simWith()
    const client = clientFor(s, { password: 'wrong' })
    expect(await client.connect()).toMatchObject({ kind: 'retry', reason: expect.stringContaining('login failed') })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'retry' })
  })

  it('4.1.3 answers per vehicle, as configured on the simulator', async () => {
    const s = await simWith()
    const client = clientFor(s)
    expect(await client.checkVehicle('豫A12345', '1', 2000)).toEqual({ isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' })
    const answer = { isControl: '1', controlReason: '国三排放标准重型柴油货车，禁止通行', emissionStandard: '3', fuelType: 'B' }
    await fetch(`${s.url}/__sim/vehicles`, { method: 'PUT', body: JSON.stringify({ plate: '豫A12345', colour: '1', answer }) })
    expect(await client.checkVehicle('豫A12345', '1', 2000)).toEqual(answer)
    expect(await client.checkVehicle('豫A12345', '2', 2000)).toMatchObject({ isControl: '0' })
  })

  it('4.1.3 with a plate the platform would refuse throws PlatformUnavailableError and sends nothing', async () => {
    const s = await simWith()
    const client = clientFor(s)
    await expect(client.checkVehicle('豫A12345', '9', 2000)).rejects.toThrow(/licenseColor（号牌颜色）的值 “9”/)
    await expect(client.checkVehicle('豫A12345', '9', 2000)).rejects.toBeInstanceOf(PlatformUnavailableError)
    expect(s.requests()).toEqual([])
  })

  it('4.1.2, 4.1.4, 4.1.6, 4.1.7, 4.1.8: valid records are accepted by the simulator’s own format check', async () => {
    const s = await simWith()
    const client = clientFor(s)
    for (const [ipctype, value] of putDataRecords) expect(await client.putData(ipctype, value), ipctype).toMatchObject({ kind: 'ok' })
    const sent = s.requests().filter((r) => r.ipctype !== 'getAccessToken')
    expect(sent.map((r) => [r.ipctype, r.shape, r.httpStatus])).toEqual(putDataRecords.map(([ipctype]) => [ipctype, 'envelope', 200]))
    // ERRATA E01: 4.1.7/4.1.8 answer {result, err, data}; the client accepts it.
    expect(sent.find((r) => r.ipctype === 'shareInnerMHYElec')!.reply).toEqual({ result: 'success', err: '', data: {} })
  })

  it('invalid records are not sent: a fixable reject listing every problem, and the record is kept by the caller', async () => {
    const s = await simWith()
    const client = clientFor(s)
    const cases: [string, Record<string, string>, string][] = [
      ['shareDrivingRecord', { ...driving, cpys: '9' }, 'cpys'],
      ['shareGoodsRecord', { ...driving, hwmc: '煤' }, 'tgsjq'],
      ['shareVehInfo', { ...vehicle, drivingLicenseImg: '' }, 'drivingLicenseImg'],
      ['shareInnerVehInfo', { ...innerVehicle, carStatus: '' }, 'carStatus'],
      ['shareInnerMHYElec', { ...machine, mhyPlate: '豫A0001X'.repeat(3) }, 'mhyPlate']
    ]
    for (const [ipctype, value, field] of cases) {
      const outcome = await client.putData(ipctype, value)
      expect(outcome, ipctype).toMatchObject({ kind: 'reject', fixable: true, reply: null })
      if (outcome.kind === 'reject') expect(outcome.problems!.map((p) => p.field)).toContain(field)
    }
    expect(await client.putData('getCheckVehicle', { license: '豫A12345', licenseColor: '1' })).toMatchObject({ kind: 'reject', fixable: false })
    expect(s.requests()).toEqual([])
  })

  it('4.1.5 sends a photo as multipart file + info with the same JPEG in base64Image (ERRATA E28)', async () => {
    const s = await simWith()
    const client = clientFor(s)
    const jpeg = tinyJpeg(5000)
    expect(await client.putPhoto(photo, jpeg, `${photo.lsh}_1`)).toMatchObject({ kind: 'ok' })
    expect(s.requests().at(-1)).toMatchObject({ ipctype: 'sharePhotoInfo', shape: 'multipart', photo: { bytes: 5000 }, value: { base64Image: { bytes: 5000 } } })
    const served = Buffer.from(await (await fetch(`${s.url}/__sim/photos/${s.requests().at(-1)!.seq}.jpg`)).arrayBuffer())
    expect(served.equals(jpeg)).toBe(true)
  })

  it('4.1.5 refuses a photo that is not a JPEG, with the reason, and sends nothing', async () => {
    const s = await simWith()
    const client = clientFor(s)
    const outcome = await client.putPhoto(photo, Buffer.from('GIF89a not a jpeg at all'), 'x.jpg')
    expect(outcome).toMatchObject({ kind: 'reject', fixable: false, reason: expect.stringContaining('不是 JPEG') })
    expect(s.requests().filter((r) => r.ipctype === 'sharePhotoInfo')).toEqual([])
  })
})

describe('platform client: per-city wire switches', () => {
  it('vehicleBodies flat sends 4.1.2/4.1.7/4.1.8 as printed (ERRATA E01)', async () => {
    const s = await simWith()
    const client = clientFor(s, { wire: { vehicleBodies: 'flat' } })
    for (const [ipctype, value] of putDataRecords) expect(await client.putData(ipctype, value), ipctype).toMatchObject({ kind: 'ok' })
    const shapes = Object.fromEntries(s.requests().filter((r) => r.ipctype !== 'getAccessToken').map((r) => [r.ipctype, r.shape]))
    expect(shapes).toEqual({ shareDrivingRecord: 'envelope', shareGoodsRecord: 'envelope', shareVehInfo: 'flat', shareInnerVehInfo: 'flat', shareInnerMHYElec: 'flat' })
  })

  it('replyStyle as-printed gives up on a city that answers 4.1.7 in the other style (ERRATA E03)', async () => {
    const s = await simWith({ replyStyle: 'code-status' })
    expect(await clientFor(s, { wire: { replyStyle: 'as-printed' } }).putData('shareInnerVehInfo', innerVehicle)).toMatchObject({ kind: 'reject', fixable: false })
    expect(await clientFor(s, { wire: { replyStyle: 'as-printed' } }).putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
    expect(await clientFor(s).putData('shareInnerVehInfo', innerVehicle)).toMatchObject({ kind: 'ok' })
  })

  it('passField gateSignal sends the inverted 4.2.11 code (ERRATA E18); a mismatch is a fixable 952', async () => {
    const s = await simWith({ passField: 'gateSignal' })
    expect(await clientFor(s, { wire: { passField: 'gateSignal' } }).putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
    expect(s.requests().at(-1)!.value).toMatchObject({ gateSignal: '0' })
    expect(s.requests().at(-1)!.value).not.toHaveProperty('bgzt')
    const mismatch = await clientFor(s).putData('shareDrivingRecord', driving)
    expect(mismatch).toMatchObject({ kind: 'reject', fixable: true, reason: expect.stringContaining('952') })
  })

  it('photoUpload: multipart without base64Image, and one JSON envelope (ERRATA E28)', async () => {
    const s = await simWith()
    const jpeg = tinyJpeg(4000)
    expect(await clientFor(s, { wire: { photoUpload: 'multipart-without-base64' } }).putPhoto(photo, jpeg, 'a.jpg')).toMatchObject({ kind: 'ok' })
    expect(s.requests().at(-1)).toMatchObject({ shape: 'multipart', photo: { bytes: 4000 }, value: { base64Image: '' } })
    expect(await clientFor(s, { wire: { photoUpload: 'json-base64' } }).putPhoto(photo, jpeg, 'a.jpg')).toMatchObject({ kind: 'ok' })
    expect(s.requests().at(-1)).toMatchObject({ shape: 'envelope', value: { base64Image: { bytes: 4000 } } })
    expect(s.requests().at(-1)).not.toHaveProperty('photo')
  })
})

describe('platform client: token lifecycle (ERRATA E05)', () => {
  it('logs in again once on a 401 and retries the call', async () => {
    const s = await simWith()
    const client = clientFor(s)
    await client.connect()
    await fetch(`${s.url}/__sim/tokens/expire`, { method: 'POST' })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
    expect(logins(s)).toBe(2)
  })

  it('logs in again when the platform lets the token expire by itself', async () => {
    const s = await simWith({ tokenTtlMs: 50 })
    const client = clientFor(s)
    await client.connect()
    await new Promise((r) => setTimeout(r, 80))
    expect(await client.checkVehicle('豫A12345', '1', 2000)).toMatchObject({ isControl: '0' })
    expect(logins(s)).toBe(2)
  })

  it('refreshes the token before it is two hours old, without waiting for a 401', async () => {
    const s = await simWith()
    let now = Date.now()
    const client = clientFor(s, { now: () => now })
    await client.putData('shareDrivingRecord', driving)
    now += TOKEN_REFRESH_AFTER_MS - 1000
    await client.putData('shareGoodsRecord', goods)
    expect(logins(s)).toBe(1)
    now += 2000
    await client.putData('shareDrivingRecord', driving)
    expect(logins(s)).toBe(2)
    expect(s.requests().filter((r) => r.httpStatus === 200 && (r.reply as { code?: string }).code === '401')).toEqual([])
  })
})

describe('platform client: clock sync', () => {
  it('measures the platform clock at login; a booth 5 minutes off is skewed, and corrected time follows the platform', async () => {
    const s = await simWith({ clockOffsetMs: 300_000 })
    const clocks: PlatformClock[] = []
    const client = clientFor(s, { onClock: (clock) => clocks.push(clock) })
    expect(client.clockOffsetMs()).toBeNull()
    await client.connect()
    expect(clocks).toHaveLength(1)
    expect(clocks[0]!.skewed).toBe(true)
    expect(Math.abs(clocks[0]!.offsetMs - 300_000)).toBeLessThan(2_000)
    expect(client.clockOffsetMs()).toBe(clocks[0]!.offsetMs)
    expect(Math.abs(client.correctedNow() - (Date.now() + 300_000))).toBeLessThan(2_000)
    expect(client.status()).toMatchObject({ clockSkewed: true })
  })

  it('a booth within a minute of the platform is not skewed', async () => {
    const s = await simWith({ clockOffsetMs: -20_000 })
    const clocks: PlatformClock[] = []
    await clientFor(s, { onClock: (clock) => clocks.push(clock) }).connect()
    expect(clocks[0]).toMatchObject({ skewed: false })
    expect(Math.abs(clocks[0]!.offsetMs + 20_000)).toBeLessThan(2_000)
  })
})

describe('platform client: every fault mode is a typed outcome', () => {
  const cases: [fault: { mode: string; code?: string; delayMs?: number }, expected: object][] = [
    [{ mode: 'down' }, { kind: 'retry', reason: 'platform closed the connection' }],
    [{ mode: 'slow', delayMs: 1500 }, { kind: 'retry', reason: 'platform did not answer in time' }],
    [{ mode: 'http500' }, { kind: 'retry', reason: expect.stringContaining('HTTP 500') }],
    [{ mode: 'code500' }, { kind: 'retry', reason: expect.stringContaining('500') }],
    // A platform that keeps saying 401 refuses the new login too.
    [{ mode: '401' }, { kind: 'retry', reason: expect.stringContaining('login failed: platform replied 401') }],
    [{ mode: '952' }, { kind: 'reject', fixable: true }],
    [{ mode: 'garbage' }, { kind: 'retry', reason: expect.stringContaining('not a JSON object') }],
    [{ mode: 'html' }, { kind: 'retry', reason: expect.stringContaining('502 Bad Gateway') }],
    [{ mode: 'code', code: '948' }, { kind: 'reject', fixable: true }],
    [{ mode: 'code', code: '403' }, { kind: 'reject', fixable: false }]
  ]
  for (const [fault, expected] of cases) {
    it(`${fault.mode}${fault.code ? ` ${fault.code}` : ''}`, async () => {
      const s = await simWith()
      const client = clientFor(s, { requestTimeoutMs: 500 })
      await client.connect()
      await injectFault(s, fault)
      expect(await client.putData('shareDrivingRecord', driving)).toMatchObject(expected)
      await injectFault(s, { mode: 'none' })
      expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
    })
  }

  it('a single 401 is healed by one new login', async () => {
    const s = await simWith()
    const client = clientFor(s)
    await client.connect()
    await injectFault(s, { mode: '401', times: 1 })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
    expect(logins(s)).toBe(2)
  })

  it('a platform that is not listening: retry, and the status says unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    const client = clientFor({ baseUrl: `http://127.0.0.1:${port}/ysgk` })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('refused') })
    expect(client.status()).toMatchObject({ reachable: false, loggedIn: false, lastError: expect.stringContaining('refused') })
    await expect(client.checkVehicle('豫A12345', '1', 500)).rejects.toBeInstanceOf(PlatformUnavailableError)
  })
})
