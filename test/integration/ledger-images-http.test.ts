import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { addUser, ApiSession, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from './support'

/**
 * A licence photo straight from a phone (3–8 MB) is filed over the host's HTTP API: the image-carrying commands take
 * a larger body than the 1 MiB default and main re-encodes the image for the platform; an empty image field beside a
 * given one counts as left out. Other commands keep the 1 MiB limit.
 */
const password = 'ledger-images-http-password'
const admin = { username: 'zhou', password: 'ledger-images-admin', role: 'admin' as const, name: '周管理' }
const truck = {
  license: '豫A71001',
  licenseColor: '2',
  vehicleType: 'H11',
  vin: 'LFV2A21K0A3710001',
  useCharacter: 'A',
  engineNo: 'E7101',
  onwer: '许昌示范钢铁有限公司',
  address: '许昌市魏都区',
  model: '解放J6P',
  registerDate: '2021-03-15',
  issueDate: '2021-03-16',
  emissionStandard: '6'
}

let sim: RunningProcess
let host: RunningProcess
let api: ApiSession
let phonePhoto: Buffer

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  const dataDir = tempDir('ledger-images-http')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`)
  await addUser(dataDir, admin)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  api = new ApiSession(host.url)
  await api.login(admin.username, admin.password)
  // A 12-megapixel photo of fine detail at high quality: as large as a phone's.
  const [width, height] = [4000, 3000]
  phonePhoto = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer()
})

afterAll(async () => {
  await stopProcess(host)
  await stopProcess(sim)
})

describe('licence photos over HTTP', () => {
  it('files a 3–8 MB phone photo beside an empty first image, and keeps it re-encoded for the platform', async () => {
    expect(phonePhoto.byteLength).toBeGreaterThan(3_000_000)
    expect(phonePhoto.byteLength).toBeLessThan(8_000_000)
    const started = performance.now()
    const reply = await api.call('vehicles.save', { ...truck, drivingLicenseImg: '', drivingLicenseImg2: phonePhoto.toString('base64') })
    console.log(`vehicles.save with a ${(phonePhoto.byteLength / 1e6).toFixed(1)} MB photo: ${Math.round(performance.now() - started)} ms`)
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200)
    expect(reply.body.result).toMatchObject({ license: truck.license, drivingLicenseImg: false, drivingLicenseImg2: true })

    const image = await api.call('ledger.image', { ledger: 'vehicles', id: reply.body.result.id, field: 'drivingLicenseImg2' })
    const stored = Buffer.from(image.body.result.jpegBase64 as string, 'base64')
    expect(stored.byteLength).toBeLessThanOrEqual(700_000)
    expect((await sharp(stored).metadata()).format).toBe('jpeg')
  })

  it('still refuses a large body for a command that carries no images', async () => {
    const reply = await api.call('localLists.add', { kind: 'white', plate: '豫A71001', note: 'x'.repeat(2 * 1024 * 1024) })
    expect(reply.status).toBe(413)
  })
})
