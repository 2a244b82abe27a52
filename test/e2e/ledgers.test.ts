import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import ExcelJS from 'exceljs'
import sharp from 'sharp'
import type { Passage } from '@shared/contract'
import { RULES } from '../../src/sim/platform/validate'
import { simControl, simSerialUrl, startSerialSim } from '../integration/serial-support'
import { addUser, ApiSession, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { DialogPage, launchChromium, LedgersPage, LoginPage, poll, screenshot, showOnBoard } from './pages'

const password = 'e2e-ledger-password'
const admin = { username: 'li', password: 'e2e-admin-password', role: 'admin' as const, name: '李管理' }
const guard = { username: 'zhao', password: 'e2e-guard-password', role: 'guard' as const, name: '赵门卫' }
const plate = '豫B54321'
const innerPlate = '豫B00777'
const machinePlate = '豫B0012X'

let sim: RunningProcess
/** The exit lane's weighbridge (XK3190 simulator on loopback TCP). */
let scale: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page
let api: ApiSession
let dataDir: string
let images: { licence: string; list: string; nameplate: string }
/** The ledger commands the page sent, in order. */
const sent: string[] = []

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  scale = await startSerialSim('scale', 'tcp://127.0.0.1:0', ['--interval-ms', '50', '--noise-kg', '0'])
  dataDir = tempDir('e2e-ledgers')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`, {
    platform: { baseUrl: `${sim.url}/ysgk`, organ: '4110020001', username: 'gate01', verifyBudgetMs: 300 },
    lanes: [
      { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
      { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out', scale: { kind: 'xk3190', path: simSerialUrl(scale), settleMs: 300 } }
    ]
  })
  await addUser(dataDir, admin)
  await addUser(dataDir, guard)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  api = new ApiSession(host.url)
  await api.login(admin.username, admin.password)

  // Real image files, as an admin picks them: a JPEG driving licence, a PNG vehicle list, a JPEG nameplate.
  const picture = (background: string) => sharp({ create: { width: 640, height: 400, channels: 3, background } })
  images = { licence: join(dataDir, '行驶证.jpg'), list: join(dataDir, '随车清单.png'), nameplate: join(dataDir, '铭牌.jpg') }
  writeFileSync(images.licence, await picture('#2f6fd0').jpeg().toBuffer())
  writeFileSync(images.list, await picture('#f0f0f0').png().toBuffer())
  writeFileSync(images.nameplate, await picture('#707070').jpeg().toBuffer())

  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
  // A missing element fails the step that waited for it, with its locator, before the test's own time runs out.
  page.setDefaultTimeout(15_000)
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (/^\/api\/(vehicles|innerVehicles|machines|goods|ledger)\./.test(path)) sent.push(path.slice('/api/'.length))
  })
  await page.goto(host.url)
  await new LoginPage(page).login(admin.username, admin.password)
  await page.getByTestId('lane-tile').first().waitFor()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
  await stopProcess(scale)
})

/** Fills a ledger form: selects by option value, the rest by typing. */
async function fillForm(dialog: DialogPage, prefix: string, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const control = dialog.root().getByTestId(`${prefix}-${name}`)
    if ((await control.evaluate((element) => element.tagName)) === 'SELECT') await control.selectOption(value)
    else await control.fill(value)
  }
}

/** The records of one interface the simulator accepted, as it received them (images as {bytes, sha256}). */
async function accepted(ipctype: string): Promise<Record<string, any>[]> {
  const requests = (await (await fetch(`${sim.url}/__sim/requests?ipctype=${ipctype}`)).json()) as { value: Record<string, any>; reply: { code?: string; result?: string } | null }[]
  return requests.filter((request) => request.reply?.code === '200' || request.reply?.result === 'success').map((request) => request.value)
}

const specFields = (ipctype: string) => Object.keys(RULES[ipctype]!).sort()
const anImage = { bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }

const vehicleValues = {
  vehicleType: 'H11',
  useCharacter: 'F',
  emissionStandard: '6',
  vin: 'LFV2A21K0A3000001',
  engineNo: 'E7788123',
  model: '解放牌CA4250',
  onwer: '许昌顺达物流有限公司',
  address: '河南省许昌市魏都区建设路 8 号',
  registerDate: '2019-05-01',
  issueDate: '2019-05-02'
}

describe('an admin keeps the ledgers', () => {
  let passage: Passage

  it('registers a truck from its passage: a refusal is shown beside its field and keeps the form, then it reaches the platform', async () => {
    passage = (await api.call('plate.submit', { laneId: 'out1', plate, colour: '1' })).body.result as Passage
    const row = page.locator(`[data-testid="passage-row"][data-lsh="${passage.lsh}"]`)
    await row.waitFor()
    await row.getByTestId('passage-register').click()
    const dialog = new DialogPage(page, 'vehicle-dialog')
    await dialog.root().waitFor()
    // Prefilled from the passage.
    expect(await dialog.root().getByTestId('vehicle-license').inputValue()).toBe(plate)
    expect(await dialog.root().getByTestId('vehicle-licenseColor').inputValue()).toBe('1')
    // An empty submit flags every required field at once, each beside its field, in Chinese (review 22b).
    await dialog.submit()
    await poll(() => dialog.issue('vehicle-drivingLicenseImg').textContent()).toBe('行驶证图片与随车清单图片至少上传一张')
    const required = { vehicleType: '请填写车辆类型', vin: '请填写车辆识别代号', useCharacter: '请选择使用性质', engineNo: '请填写发动机号码', onwer: '请填写所有人', address: '请填写住址', model: '请填写品牌型号', registerDate: '请填写注册日期', issueDate: '请填写发证日期', emissionStandard: '请选择排放阶段' }
    for (const [field, message] of Object.entries(required)) expect(await dialog.issue(`vehicle-${field}`).textContent()).toBe(message)
    expect(sent.filter((command) => command === 'vehicles.save')).toEqual([])
    await screenshot(page, 'e2e-ledgers-empty-submit')
    await fillForm(dialog, 'vehicle', vehicleValues)
    // Each problem goes as its field is filled (a typed date counts once the picker is left); the image's stays.
    await page.keyboard.press('Tab')
    await poll(() => dialog.root().locator('[data-testid^="issue-"]').evaluateAll((issues) => issues.map((issue) => issue.getAttribute('data-testid')))).toEqual(['issue-vehicle-drivingLicenseImg'])

    // No image: refused beside the image field before anything is sent.
    await dialog.submit()
    await poll(() => dialog.issue('vehicle-drivingLicenseImg').textContent()).toBe('行驶证图片与随车清单图片至少上传一张')
    expect(sent.filter((command) => command === 'vehicles.save')).toEqual([])

    // A VIN longer than the spec's 32: main's pre-flight refuses it, the message lands beside the VIN field, and the
    // form keeps everything typed (and the picked image).
    await dialog.root().getByTestId('vehicle-drivingLicenseImg').setInputFiles(images.licence)
    await dialog.root().getByTestId('vehicle-drivingLicenseImg-preview').waitFor()
    await dialog.root().getByTestId('vehicle-vin').fill('L'.repeat(33))
    await dialog.submit()
    await poll(() => dialog.issue('vehicle-vin').textContent()).toBe('车辆识别代码超过最大长度 32 个字符（现有 33 个）')
    expect(sent.filter((command) => command === 'vehicles.save')).toEqual(['vehicles.save'])
    expect(await dialog.root().getByTestId('vehicle-onwer').inputValue()).toBe(vehicleValues.onwer)
    expect(await dialog.root().getByTestId('vehicle-drivingLicenseImg-preview').count()).toBe(1)
    expect((await api.call('vehicles.list', {})).body.result.total).toBe(0)
    await screenshot(page, 'e2e-ledgers-refusal')

    await dialog.root().getByTestId('vehicle-vin').fill(vehicleValues.vin)
    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })

    const ledgers = new LedgersPage(page)
    await ledgers.open('vehicles')
    await ledgers.expectUploaded('vehicles', plate)
    const [record, ...more] = await accepted('shareVehInfo')
    expect(more).toEqual([])
    expect(Object.keys(record!).sort()).toEqual(specFields('shareVehInfo'))
    expect(record).toMatchObject({ license: plate, licenseColor: '1', ...vehicleValues, drivingLicenseImg: anImage, drivingLicenseImg2: '' })
    // The image on file is the one the platform got.
    await ledgers.row('vehicles', plate).getByTestId('ledger-image-drivingLicenseImg').click()
    await page.getByTestId('ledger-image').locator('img').first().waitFor()
    await page.getByTestId('ledger-image-dialog').getByTestId('dialog-cancel').click()
    // Editing shows what is on file in the form itself; Esc leaves without sending anything.
    await ledgers.row('vehicles', plate).getByTestId('ledger-edit').click()
    const edit = new DialogPage(page, 'vehicle-dialog')
    expect(await edit.root().getByTestId('vehicle-vin').inputValue()).toBe(vehicleValues.vin)
    expect(await edit.root().getByTestId('vehicle-vehicleType').inputValue()).toBe('H11 重型普通货车')
    await edit.root().getByTestId('vehicle-drivingLicenseImg-view').click()
    await edit.root().getByTestId('vehicle-drivingLicenseImg-on-file').waitFor()
    await page.keyboard.press('Escape')
    await edit.root().waitFor({ state: 'detached' })
    expect(sent.filter((command) => command === 'vehicles.save')).toEqual(['vehicles.save', 'vehicles.save'])
  }, 90_000)

  it('adds an in-plant vehicle with a PNG vehicle list and a machine with its nameplate; both reach the platform', async () => {
    const ledgers = new LedgersPage(page)
    await ledgers.open('innerVehicles')
    const inner = await ledgers.add('innerVehicles', 'inner-dialog')
    await fillForm(inner, 'inner', { license: innerPlate, licenseColor: '2', ...vehicleValues, vin: 'LZZ1CLSB7KA000002', carStatus: '1' })
    await inner.root().getByTestId('inner-drivingLicenseImg2').setInputFiles(images.list)
    // The file is read in the page: its preview shows once it can be sent.
    await inner.root().getByTestId('inner-drivingLicenseImg2-preview').waitFor()
    await inner.submit()
    await inner.root().waitFor({ state: 'detached' })
    await ledgers.expectUploaded('innerVehicles', innerPlate)

    // 封存 with a note: the row shows it, its history has the change, and the platform gets the re-filed record.
    await ledgers.row('innerVehicles', innerPlate).getByTestId('ledger-status').click()
    const status = new DialogPage(page, 'status-dialog')
    await status.root().getByTestId('status-status').selectOption('2')
    await status.root().getByTestId('status-note').fill('停用检修')
    await status.root().getByTestId('status-note').press('Enter')
    await status.root().waitFor({ state: 'detached' })
    await poll(() => ledgers.row('innerVehicles', innerPlate).textContent()).toContain('封存')
    await ledgers.expectUploaded('innerVehicles', innerPlate)
    await ledgers.row('innerVehicles', innerPlate).getByTestId('ledger-history').click()
    const history = page.getByTestId('history-dialog')
    await poll(() => history.getByTestId('history-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))).toEqual(['status', 'create'])
    expect(await history.getByTestId('history-row').first().textContent()).toContain('停用检修')
    await page.keyboard.press('Escape')
    await history.waitFor({ state: 'detached' })

    await ledgers.open('machines')
    const machine = await ledgers.add('machines', 'machine-dialog')
    const machineValues = { mhyPlate: machinePlate, mhyJXMC: '装载机', emissionLevel: '4', mhyFrameNo: 'ZL50G-0001', mhyProdDate: '2020-01-01', mhyStatus: '1' }
    await fillForm(machine, 'machine', machineValues)
    // A file named .jpg that is not an image is refused as it is picked, by its bytes.
    await machine.root().getByTestId('machine-imageInfo').setInputFiles({ name: '铭牌.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片') })
    await poll(() => machine.issue('machine-imageInfo').textContent()).toBe('只能选择 JPEG 或 PNG 图片')
    await machine.root().getByTestId('machine-imageInfo').setInputFiles(images.nameplate)
    await machine.root().getByTestId('machine-imageInfo-preview').waitFor()
    await machine.submit()
    await machine.root().waitFor({ state: 'detached' })
    await ledgers.expectUploaded('machines', machinePlate)

    const [innerRecord, sealed, ...moreInner] = await accepted('shareInnerVehInfo')
    expect(moreInner).toEqual([])
    expect(sealed).toEqual({ ...innerRecord, carStatus: '2' })
    expect(Object.keys(innerRecord!).sort()).toEqual(specFields('shareInnerVehInfo'))
    expect(innerRecord).toMatchObject({
      companyCode: '4110020001',
      license: innerPlate,
      licenseColor: '2',
      ...vehicleValues,
      vin: 'LZZ1CLSB7KA000002',
      carStatus: '1',
      drivingLicenseImg: '',
      drivingLicenseImg2: anImage
    })
    const [machineRecord, ...moreMachines] = await accepted('shareInnerMHYElec')
    expect(moreMachines).toEqual([])
    expect(Object.keys(machineRecord!).sort()).toEqual(specFields('shareInnerMHYElec'))
    expect(machineRecord).toMatchObject({ companyCode: '4110020001', ...machineValues, imageInfo: anImage })
  }, 90_000)

  it('enters the goods of the passage at the exit; the record reaches the platform with the passage lsh', async () => {
    // The admin keeps the goods names the picker offers.
    const ledgers = new LedgersPage(page)
    await ledgers.open('goods')
    await ledgers.ledger('goods').getByTestId('ledger-goods-names').click()
    const names = new DialogPage(page, 'goods-names-dialog')
    await names.root().getByTestId('goods-names').fill('铁矿石\n 焦炭 \n\n石灰石')
    await names.submit()
    await names.root().waitFor({ state: 'detached' })
    expect((await api.call('goods.names', {})).body.result).toEqual(['铁矿石', '焦炭', '石灰石'])

    await showOnBoard(page, 'journal')
    const row = page.locator(`[data-testid="passage-row"][data-lsh="${passage.lsh}"]`)
    await row.getByTestId('passage-goods').click()
    const dialog = new DialogPage(page, 'goods-dialog')
    await dialog.root().waitFor()
    await poll(() => dialog.root().locator('datalist option').evaluateAll((options) => options.map((option) => option.getAttribute('value')))).toEqual(['铁矿石', '焦炭', '石灰石'])
    // The truck stands on the exit weighbridge: 35,460 kg is read as the spec's 4-character tonnes.
    await simControl(scale, 'weight', { kg: 35_460, rampMs: 0 })
    await dialog.root().getByTestId('goods-hwmc').fill('铁矿石')
    // Until the indicator settles the field stays empty and main says why; the guard presses again.
    await poll(
      async () => {
        await dialog.root().getByTestId('goods-read-scale').click()
        return dialog.root().getByTestId('goods-ysl').inputValue()
      },
      { interval: 250 }
    ).toBe('35.5')
    await poll(() => dialog.root().getByTestId('goods-scale-message').textContent()).toBe('取自地磅 地磅读数已稳定')
    // Enter submits from the field, as the guard's keyboard flow does.
    await dialog.root().getByTestId('goods-ysl').press('Enter')
    await dialog.root().waitFor({ state: 'detached' })

    await ledgers.open('goods')
    await ledgers.expectUploaded('goods', plate)
    await screenshot(page, 'e2e-ledgers-goods')
    const [record, ...more] = await accepted('shareGoodsRecord')
    expect(more).toEqual([])
    expect(Object.keys(record!).sort()).toEqual(specFields('shareGoodsRecord'))
    expect(record).toMatchObject({ lsh: passage.lsh, qybh: '4110020001', dzbh: '02', cphm: plate, cpys: '1', hwmc: '铁矿石', ysl: '35.5' })
    expect(record!.djsj).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(await ledgers.row('goods', plate).textContent()).toContain('35.5（取自地磅）')

    // Each ledger row has its history: the goods entry is one 'create' change.
    await ledgers.row('goods', plate).getByTestId('ledger-history').click()
    const history = page.getByTestId('history-dialog')
    await poll(() => history.getByTestId('history-row').count()).toBe(1)
    expect(await history.getByTestId('history-row').getAttribute('data-action')).toBe('create')
    await page.keyboard.press('Escape')
    await history.waitFor({ state: 'detached' })

    // The admin corrects the goods name from the ledger: the form opens with what is on file, the change is re-filed.
    await ledgers.row('goods', plate).getByTestId('ledger-edit').click()
    const correction = new DialogPage(page, 'goods-dialog')
    await poll(() => correction.root().getByTestId('goods-hwmc').inputValue()).toBe('铁矿石')
    expect(await correction.root().getByTestId('goods-ysl').inputValue()).toBe('35.5')
    await correction.root().getByTestId('goods-hwmc').fill('焦炭')
    await correction.root().getByTestId('goods-hwmc').press('Enter')
    await correction.root().waitFor({ state: 'detached' })
    await poll(() => ledgers.row('goods', plate).textContent()).toContain('焦炭')
    await ledgers.expectUploaded('goods', plate)
    await poll(async () => (await accepted('shareGoodsRecord')).map((sent) => sent.hwmc)).toEqual(['铁矿石', '焦炭'])
  }, 90_000)

  it('exports the goods ledger; an import with bad rows is refused whole, each problem shown by row and field', async () => {
    const ledgers = new LedgersPage(page)
    await ledgers.open('goods')
    const [download] = await Promise.all([page.waitForEvent('download'), ledgers.ledger('goods').getByTestId('ledger-export').click()])
    expect(download.suggestedFilename()).toMatch(/^货物台账-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const exported = join(dataDir, 'exported.xlsx')
    await download.saveAs(exported)

    // The admin edits the workbook: a goods name over the spec's 32 characters, and a row for a passage that does not exist.
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(readFileSync(exported) as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    const column = (field: string) => (sheet.getRow(2).values as string[]).indexOf(field)
    expect(sheet.getRow(3).getCell(column('lsh')).value).toBe(passage.lsh)
    sheet.getRow(3).getCell(column('hwmc')).value = '铁'.repeat(33)
    const unknown = sheet.getRow(4)
    for (const field of ['lsh', 'dzbh', 'cphm', 'cpys', 'hwmc', 'ysl', 'djsj']) unknown.getCell(column(field)).value = sheet.getRow(3).getCell(column(field)).value
    unknown.getCell(column('lsh')).value = '411002000102B200101000000'
    unknown.getCell(column('hwmc')).value = '焦炭'
    const edited = join(dataDir, 'edited.xlsx')
    writeFileSync(edited, Buffer.from(await workbook.xlsx.writeBuffer()))

    await ledgers.ledger('goods').getByTestId('ledger-import').click()
    const dialog = new DialogPage(page, 'import-dialog')
    await dialog.root().getByTestId('import-file').setInputFiles(edited)
    await dialog.submit()
    await poll(() => dialog.root().getByTestId('import-refused').textContent()).toBe('有 2 处问题，未导入任何一行：请改正后重新导入整个文件')
    const problems = await dialog.root().getByTestId('import-problem').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)))
    expect(problems.map(([row, field]) => [row, field])).toEqual([
      ['3', '货物名称（hwmc）'],
      ['4', '流水号（lsh）']
    ])
    await screenshot(page, 'e2e-ledgers-import')
    await dialog.root().getByTestId('dialog-cancel').click()

    // Nothing of the file was written: the goods are as the admin last corrected them.
    const goods = (await api.call('goods.list', {})).body.result as { rows: { hwmc: string }[]; total: number }
    expect(goods.total).toBe(1)
    expect(goods.rows[0]!.hwmc).toBe('焦炭')
    expect(await ledgers.row('goods', plate).textContent()).toContain('焦炭')
  }, 90_000)

  it('a guard enters goods from the journal but sees no registration or admin controls', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    const guardPage = await context.newPage()
    guardPage.setDefaultTimeout(15_000)
    await guardPage.goto(host.url)
    await new LoginPage(guardPage).login(guard.username, guard.password)
    const row = guardPage.locator(`[data-testid="passage-row"][data-lsh="${passage.lsh}"]`)
    await row.getByTestId('passage-goods').waitFor()
    expect(await row.getByTestId('passage-register').count()).toBe(0)

    const ledgers = new LedgersPage(guardPage)
    await ledgers.open('innerVehicles')
    await ledgers.row('innerVehicles', innerPlate).waitFor()
    const ledger = ledgers.ledger('innerVehicles')
    for (const control of ['ledger-add', 'ledger-import', 'ledger-edit', 'ledger-status']) expect(await ledger.getByTestId(control).count()).toBe(0)
    expect(await ledger.getByTestId('ledger-export').count()).toBe(1)
    await context.close()
  }, 90_000)
})
