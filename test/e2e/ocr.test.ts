import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import sharp from 'sharp'
import type { Passage } from '@shared/contract'
import { CLEAN_STYLE, makeVehicle, renderDocument, y4mOf, type VehicleDocumentValues } from '../integration/ocr-documents'
import { seededRandom } from '../integration/support'
import { addUser, ApiSession, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { DialogPage, launchChromium, LedgersPage, LoginPage, poll, screenshot } from './pages'

// An admin registers a truck from its passage (备案此车) by dropping a photo of its 行驶证: the form fills, the one
// unsure field (a VIN whose check digit does not match) is corrected, and the platform simulator gets the confirmed
// values. Run `npm run build` first.

const password = 'e2e-ocr-password'
const admin = { username: 'li', password: 'e2e-admin-password', role: 'admin' as const, name: '李管理' }

let sim: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page
let api: ApiSession
let vehicle: VehicleDocumentValues
/** The VIN as the licence photo shows it: one character off, so its check digit does not match. */
let misprinted: string
const files = { licence: '', list: '', huge: '', camera: '' }
const sent: string[] = []

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  const dataDir = tempDir('e2e-ocr')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`, {
    platform: { baseUrl: `${sim.url}/ysgk`, organ: '4110020001', username: 'gate01', verifyBudgetMs: 300 },
    lanes: [{ id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' }]
  })
  await addUser(dataDir, admin)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  api = new ApiSession(host.url)
  await api.login(admin.username, admin.password)

  vehicle = makeVehicle(seededRandom(2026))
  const wrong = vehicle.vin[8] === '7' ? '8' : '7'
  misprinted = `${vehicle.vin.slice(0, 8)}${wrong}${vehicle.vin.slice(9)}`
  // The licence as a phone photo: 4032 px wide, grainy, 3–8 MB.
  const licence = await renderDocument('licenseMain', { ...vehicle, vin: misprinted }, CLEAN_STYLE)
  const wide = await sharp(licence).resize({ width: 4032 }).toBuffer({ resolveWithObject: true })
  const grain = await sharp({ create: { width: wide.info.width, height: wide.info.height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer()
  const photo = await sharp(wide.data).composite([{ input: grain, blend: 'soft-light' }]).jpeg({ quality: 97, chromaSubsampling: '4:4:4' }).toBuffer()
  files.licence = join(dataDir, '行驶证.jpg')
  files.list = join(dataDir, '随车清单.jpg')
  files.huge = join(dataDir, '大图.jpg')
  writeFileSync(files.huge, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(20 * 1024 * 1024)]))
  writeFileSync(files.licence, photo)
  writeFileSync(files.list, await renderDocument('goodsList', vehicle, CLEAN_STYLE))
  files.camera = join(dataDir, 'document-camera.y4m')
  writeFileSync(files.camera, await y4mOf(await renderDocument('licenseVice', vehicle, CLEAN_STYLE)))

  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
  page.setDefaultTimeout(15_000)
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (/^\/api\/(vehicles\.save|ocr\.read)/.test(path)) sent.push(path.slice('/api/'.length))
  })
  await page.goto(host.url)
  await new LoginPage(page).login(admin.username, admin.password)
  await page.getByTestId('lane-tile').first().waitFor()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
})

/** Drops a file on an element as the admin would from the file manager (a DataTransfer with one File). */
async function dropFile(selector: string, name: string, bytes: Buffer, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    `(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }))
      return transfer
    })()`
  )
  await page.locator(selector).dispatchEvent('drop', { dataTransfer })
}

async function accepted(ipctype: string): Promise<Record<string, any>[]> {
  const requests = (await (await fetch(`${sim.url}/__sim/requests?ipctype=${ipctype}`)).json()) as { value: Record<string, any>; reply: { code?: string; result?: string } | null }[]
  return requests.filter((request) => request.reply?.code === '200' || request.reply?.result === 'success').map((request) => request.value)
}

describe('识别证件 in 备案此车', () => {
  it('fills the form from a dropped licence photo; the unsure VIN is corrected; the platform gets the confirmed values', async () => {
    const photoBytes = statSync(files.licence).size
    expect(photoBytes).toBeGreaterThan(3 * 1024 * 1024)
    expect(photoBytes).toBeLessThan(8 * 1024 * 1024)

    const passage = (await api.call('plate.submit', { laneId: 'in1', plate: vehicle.license, colour: '1' })).body.result as Passage
    const row = page.locator(`[data-testid="passage-row"][data-lsh="${passage.lsh}"]`)
    await row.getByTestId('passage-register').click()
    const dialog = new DialogPage(page, 'vehicle-dialog')
    const field = (name: string) => dialog.root().getByTestId(`vehicle-${name}`)
    const status = dialog.root().getByTestId('vehicle-ocr-status')
    await dialog.root().waitFor()

    // Not a picture, then a 20 MB file: each refused with its reason, the form as it was.
    await field('ocr-file').setInputFiles({ name: '行驶证.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片') })
    await poll(() => status.textContent()).toBe('未能识别：所选文件不是图片，请选择 JPEG 或 PNG 格式的证件照片（表单未改动）')
    await field('ocr-file').setInputFiles(files.huge)
    await poll(() => status.textContent()).toBe('未能识别：图片文件过大（超过 16 MB），请重新拍摄或选择较小的图片（表单未改动）')
    expect(await field('vin').inputValue()).toBe('')
    expect(await field('license').inputValue()).toBe(vehicle.license)

    await dropFile('[data-testid="vehicle-ocr"]', '行驶证.jpg', readFileSync(files.licence), 'image/jpeg')
    await poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    expect(await status.textContent()).toBe('已识别行驶证主页：填入 10 项，其中 1 项标为黄色，请逐项核对')
    expect(await field('vin').inputValue()).toBe(misprinted)
    expect(await field('onwer').inputValue()).toBe(vehicle.onwer)
    expect(await field('address').inputValue()).toBe(vehicle.address)
    expect(await field('model').inputValue()).toBe(vehicle.model)
    expect(await field('engineNo').inputValue()).toBe(vehicle.engineNo)
    expect(await field('vehicleType').inputValue()).toBe(`${vehicle.vehicleTypeCode} ${vehicle.vehicleType}`)
    expect(await field('useCharacter').inputValue()).toBe('F')
    expect(await field('registerDate').inputValue()).toBe(vehicle.registerDate)
    expect(await field('issueDate').inputValue()).toBe(vehicle.issueDate)
    // Only the VIN is marked, with its reason; the read picture becomes the licence image.
    expect(await dialog.root().locator('.ocr-check').count()).toBe(1)
    expect(await field('vin-check').textContent()).toContain('车辆识别代号第 9 位校验位不符，请核对')
    await field('drivingLicenseImg-preview').waitFor()
    await screenshot(page, 'e2e-ocr-filled')

    // Nothing is filed while a marked field is unconfirmed.
    await dialog.submit()
    await poll(() => dialog.issue('vehicle-vin').textContent()).toBe('请核对识别结果：修改或点击“无误”')
    expect(sent.filter((command) => command === 'vehicles.save')).toEqual([])

    // The admin types the VIN from the licence in hand; the mark goes.
    await field('vin').fill(vehicle.vin)
    expect(await dialog.root().locator('.ocr-check').count()).toBe(0)

    // The 随车清单 through the file picker: emission stage filled, its picture becomes the list image.
    await field('ocr-file').setInputFiles(files.list)
    await poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^已识别随车清单：填入 2 项，请核对后保存。燃料类型（随车清单）：/)
    expect(await field('emissionStandard').inputValue()).toBe(vehicle.emissionStandard)
    await field('drivingLicenseImg2-preview').waitFor()

    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })
    const ledgers = new LedgersPage(page)
    await ledgers.open('vehicles')
    await ledgers.expectUploaded('vehicles', vehicle.license)
    const [record, ...more] = await accepted('shareVehInfo')
    expect(more).toEqual([])
    const anImage = { bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }
    expect(record).toMatchObject({
      license: vehicle.license,
      licenseColor: '1',
      vehicleType: vehicle.vehicleTypeCode,
      vin: vehicle.vin,
      useCharacter: 'F',
      engineNo: vehicle.engineNo,
      onwer: vehicle.onwer,
      address: vehicle.address,
      model: vehicle.model,
      registerDate: vehicle.registerDate,
      issueDate: vehicle.issueDate,
      emissionStandard: vehicle.emissionStandard,
      drivingLicenseImg: anImage,
      drivingLicenseImg2: anImage
    })
  }, 120_000)
})

describe('识别证件 with the document camera', () => {
  it('takes a frame of the camera (getUserMedia) and fills the plate from the 行驶证 vice page under it', async () => {
    // Chromium's fake camera plays the vice page as its video: the 高拍仪 with the paper under it.
    const cameraBrowser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${files.camera}`]
    })
    try {
      const cameraPage = await cameraBrowser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
      cameraPage.setDefaultTimeout(15_000)
      await cameraPage.goto(host.url)
      await new LoginPage(cameraPage).login(admin.username, admin.password)
      const ledgers = new LedgersPage(cameraPage)
      await ledgers.open('vehicles')
      const dialog = await ledgers.add('vehicles', 'vehicle-dialog')
      await dialog.root().getByTestId('vehicle-ocr-camera').click()
      const capture = dialog.root().getByTestId('vehicle-ocr-capture')
      await poll(() => capture.isEnabled()).toBe(true)
      await capture.click()
      const status = dialog.root().getByTestId('vehicle-ocr-status')
      await poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
      expect(await status.textContent()).toBe('已识别行驶证副页：填入 1 项，请核对后保存')
      expect(await dialog.root().getByTestId('vehicle-license').inputValue()).toBe(vehicle.license)
      await screenshot(cameraPage, 'e2e-ocr-camera')
    } finally {
      await cameraBrowser.close()
    }
  }, 90_000)
})
