import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientFor, credentials, driving, injectFault, organ, photo, putDataRecords } from './platform-fixtures'
import { startProcess, stopProcess, tinyJpeg, type RunningProcess } from './support'

// The simulator as a commissioning engineer runs it: its own process, from the build (npx electron-vite build).
let sim: RunningProcess
let base: { url: string; baseUrl: string }

beforeAll(async () => {
  sim = await startProcess(
    'sim-platform.js',
    ['--port', '0', '--organ', organ, '--username', credentials.username, '--clock-offset-ms=-90000', '--pass-field', 'gateSignal', '--demo-vehicles'],
    { SIM_PLATFORM_PASSWORD: credentials.password },
    /platform-sim listening /
  )
  base = { url: sim.url, baseUrl: `${sim.url}/ysgk` }
})
afterAll(() => stopProcess(sim))

async function recorded(): Promise<any[]> {
  return (await fetch(`${base.url}/__sim/requests`)).json() as Promise<any[]>
}

describe('platform client against the simulator process', () => {
  it('drives all eight interfaces over loopback with this city’s readings', async () => {
    const clocks: { offsetMs: number; skewed: boolean }[] = []
    const client = clientFor(base, { wire: { passField: 'gateSignal' }, onClock: (clock) => clocks.push(clock) })
    expect(await client.connect()).toMatchObject({ kind: 'ok' })
    expect(clocks[0]).toMatchObject({ skewed: true })
    expect(await client.checkVehicle('豫A00003', '1', 2000)).toMatchObject({ isControl: '1', emissionStandard: '4' })
    for (const [ipctype, value] of putDataRecords) expect(await client.putData(ipctype, value), ipctype).toMatchObject({ kind: 'ok' })
    expect(await client.putPhoto(photo, tinyJpeg(8000), `${photo.lsh}_1.jpg`)).toMatchObject({ kind: 'ok' })

    const requests = await recorded()
    expect(new Set(requests.map((r) => r.ipctype))).toEqual(
      new Set(['getAccessToken', 'getCheckVehicle', 'shareDrivingRecord', 'shareGoodsRecord', 'shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec', 'sharePhotoInfo'])
    )
    expect(requests.find((r) => r.ipctype === 'shareDrivingRecord').value).toMatchObject({ gateSignal: '0' })
    expect(JSON.stringify(requests)).not.toContain(credentials.password)
  })

  it('shows what was sent on its page; a record that suits another city comes back as 952', async () => {
    const client = clientFor(base)
    // The booth's default bgzt does not suit this city (gateSignal): only the platform can tell.
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'reject', fixable: true, reason: expect.stringContaining('value.bgzt: 未定义的字段') })
    const page = await (await fetch(`${base.url}/`)).text()
    expect(page).toContain('市级平台模拟器')
    expect(page).toContain('shareDrivingRecord')
    expect(page).not.toContain(credentials.password)
  })

  it('injects faults through its admin endpoint', async () => {
    const client = clientFor(base, { wire: { passField: 'gateSignal' }, requestTimeoutMs: 400 })
    await client.connect()
    await injectFault(base, { mode: 'slow', delayMs: 1000, times: 1 })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'retry', reason: 'platform did not answer in time' })
    await injectFault(base, { mode: 'code', code: '949', times: 1 })
    expect(await client.putPhoto(photo, tinyJpeg(3000), 'p.jpg')).toMatchObject({ kind: 'reject', fixable: true, reason: expect.stringContaining('949') })
    expect(await client.putData('shareDrivingRecord', driving)).toMatchObject({ kind: 'ok' })
  })
})
