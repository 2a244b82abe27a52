/**
 * The plant's workspace in Chromium: the plant process on a throw-away PostgreSQL cluster serves the booth's React
 * workspace over HTTPS on the port its booths use. An admin logs in, sees a truck that entered at gate 01 (through
 * an enrolled booth host) and left at gate 03 as one visit, a truck inside too long as a dwell alarm and in the
 * in-plant presence, opens the entry's photo from the journal, downloads the statistics by gate as Excel, files an in-plant vehicle that then reaches the booth's replica, makes a guard who then sees the
 * views without the admin's screens, and no screen leaks code (the booth's leak walker; login names, the enrolment
 * code and the certificate fingerprint are what an admin types: kbd), and sets a lane of the booth's gate that the booth
 * then applies.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { openPlantStore, type PlantStore } from '../../src/main/plant/store'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { DEMO_PLATFORM } from '../integration/booth'
import { startPgCluster, type PgCluster } from '../integration/pg-cluster'
import { passageUp, plantCommand, startPlantProcess, writePlantConfig, type PlantProcess } from '../integration/plant-support'
import { ApiSession, eventually, postJson, repoRoot, startProcess, stopProcess, tempDir, tinyJpeg, writeBoothConfig, type RunningProcess } from '../integration/support'
import { DialogPage, launchChromium, leaks, LedgersPage, LoginPage, poll, screenshot } from './pages'

let cluster: PgCluster
let sim: PlatformSim
let store: PlantStore
let browser: Browser
const running: { plant?: PlantProcess; booth?: RunningProcess } = {}
const ENV = { PLANT_PLATFORM_PASSWORD: DEMO_PLATFORM.password, GATE_PLATFORM_PASSWORD: DEMO_PLATFORM.password }
const admin = { username: 'plantadmin', password: 'plant-admin-1' }

beforeAll(async () => {
  cluster = await startPgCluster()
  sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await store?.close()
  await stopProcess(running.booth)
  running.plant?.child.kill('SIGTERM')
  await sim?.close()
  cluster?.stop()
})

/** What each tab shows once its data is in. */
const LOADED: Record<string, string> = {
  plantJournal: '[data-testid="plant-journal-row"]',
  visits: '[data-testid="plant-visit"]',
  presence: '[data-testid="plant-present"]',
  alarms: '[data-testid="alarm"]',
  plantStatistics: '[data-testid="plant-stats-total"]',
  ledgers: '[data-testid="ledger-total"]',
  audit: '[data-testid="audit-row"]',
  deadLetters: '.journal__empty, [data-testid="dead-letter"]',
  booths: '[data-testid="plant-booth"]',
  users: '[data-testid="plant-user"]',
  settings: '[data-testid="measures-state"]'
}

describe("the plant's admin workspace", () => {
  it('an admin at the plant over HTTPS: one visit from gate 01 to gate 03, a dwell alarm, an in-plant vehicle filed here reaching a booth', async () => {
    const dir = tempDir('e2e-plant')
    const databaseUrl = cluster.createDatabase('e2e_plant')
    const plantConfig = writePlantConfig(dir, databaseUrl, sim.baseUrl, {
      enterprise: { name: '许昌示范钢铁有限公司', companySecretCode: 'SECRET' },
      alarms: { dwellMinutes: 60, checkIntervalMs: 500 }
    })
    execFileSync(process.execPath, [join(repoRoot, 'out/main/plant.js'), '--config', plantConfig, 'add-user', '--username', admin.username, '--name', '厂级管理员', '--role', 'admin'], {
      input: `${admin.password}\n`,
      env: { ...process.env, ...ENV }
    })
    const code = /enrolment code (\S+)/.exec(plantCommand(plantConfig, ['enrol-code', '--gate', '01'], ENV))![1]!
    running.plant = await startPlantProcess(plantConfig, ENV)
    expect(running.plant.url).toMatch(/^https:/)

    // Booth 01, enrolled with the plant's certificate pinned, on the same port the browser uses.
    const boothConfig = writeBoothConfig(tempDir('e2e-plant-booth'), sim.baseUrl, {
      dataDir: join(dir, 'booth01'),
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
        { id: 'out1', name: '1号出口', gateCode: '01', direction: 'out' }
      ],
      plant: { replicaIntervalMs: 1000 },
      laneTiming: { offlineRetryMs: 0 }
    })
    plantCommand(plantConfig, ['enrol-booth', '--booth-config', boothConfig, '--url', running.plant.url, '--fingerprint', running.plant.fingerprint, '--code', code, '--booth-id', 'booth-01'], ENV)
    running.booth = await startProcess('host.js', ['--config', boothConfig], ENV, /listening /)
    const lprUrl = /lpr listening (http:\/\/\S+)/.exec(running.booth.output())![1]!

    // A truck in at gate 01 (the booth), out at gate 03 (as that gate's booth sends it up); another inside for 2 hours.
    const visitor = '豫A7P001'
    const entry = await postJson(`${lprUrl}/lpr/in1`, { plate: visitor, colour: '2', images: { front: tinyJpeg(4000).toString('base64') } })
    expect(entry.body.decision).toBe('allow')
    store = await openPlantStore({ connectionString: databaseUrl, photosDir: join(dir, 'plant-data/photos') })
    await eventually('the entry at the plant', async () => ((await store.views.journal({ plate: visitor, limit: 5 })).length === 1 ? true : undefined), 30_000)
    const exitAt = Date.now() + 60_000
    await store.intake.passages('booth-03', [passageUp({ gateCode: '03', direction: 'out', plate: visitor, at: exitAt })], Date.now())
    const staying = '豫A7P002'
    await store.intake.passages('booth-02', [passageUp({ gateCode: '02', direction: 'in', plate: staying, at: Date.now() - 2 * 3600_000 })], Date.now())

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', ignoreHTTPSErrors: true })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    const found: Record<string, string[]> = {}
    const walk = async (screen: string) => {
      await screenshot(page, `plant-workspace-${screen}`)
      const leaked = await leaks(page)
      if (leaked.length) found[screen] = leaked
    }
    /** Shows a tab and waits until its screen shows what it loaded (the walker reads it then). */
    const show = async (tab: string) => {
      await page.getByTestId(`tab-${tab}`).click()
      await page.locator(LOADED[tab]!).first().waitFor()
    }
    await page.goto(running.plant.url)
    await new LoginPage(page).login(admin.username, admin.password)
    await page.getByTestId('plant-workspace').waitFor()
    // The plant has no lane board and no switch to one.
    expect(await page.getByTestId('lane-tile').count()).toBe(0)
    expect(await page.getByTestId('nav-board').count()).toBe(0)

    await page.getByTestId('plant-journal').waitFor()
    await poll(() => page.locator(`[data-testid="plant-journal-row"][data-plate="${visitor}"]`).count()).toBe(2)
    expect(await page.locator(`[data-testid="plant-journal-row"][data-plate="${visitor}"][data-gate="03"]`).textContent()).toContain('03 号门')
    await walk('journal')

    // The entry's photo opened from the journal, in the booth's photo view: the bytes whose SHA-256 booth 01 recorded.
    const entryRow = (await store.views.journal({ plate: visitor, gateCode: '01', limit: 1 }))[0]!
    const atPlant = await eventually('the entry photo at the plant', async () => (await store.repos.photos.ofPassage(entryRow.id)).photos[0], 30_000)
    await page.locator(`[data-testid="plant-journal-row"][data-plate="${visitor}"][data-gate="01"]`).getByTestId('plant-journal-photos').click()
    const viewer = page.getByTestId('photo-viewer')
    const shown = viewer.getByTestId('passage-photo').locator('img').first()
    await shown.waitFor()
    await poll(() => shown.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).not.toBe(0)
    const src = (await shown.getAttribute('src'))!
    expect(src.startsWith('data:image/jpeg;base64,')).toBe(true)
    const shownBytes = Buffer.from(src.slice('data:image/jpeg;base64,'.length), 'base64')
    expect(shownBytes.equals(atPlant.jpeg)).toBe(true)
    const boothDb = new Database(join(dir, 'booth01', 'booth.sqlite'), { readonly: true })
    const recorded = boothDb.prepare(`SELECT ph.sha256 FROM photos ph JOIN passages p ON p.id = ph.passage_id WHERE p.lsh = ? AND ph.zpbh = '1'`).pluck().get(entryRow.lsh)
    boothDb.close()
    expect(createHash('sha256').update(shownBytes).digest('hex')).toBe(recorded)
    expect(await viewer.getByTestId('passage-photo').first().textContent()).toContain('前照')
    await walk('journal-photos')
    await viewer.getByTestId('dialog-cancel').click()
    await viewer.waitFor({ state: 'detached' })

    await page.getByTestId('tab-visits').click()
    const visit = page.locator(`[data-testid="plant-visit"][data-plate="${visitor}"]`)
    await visit.waitFor()
    expect(await page.locator(`[data-testid="plant-visit"][data-plate="${visitor}"]`).count()).toBe(1)
    expect([await visit.getAttribute('data-entry-gate'), await visit.getAttribute('data-exit-gate')]).toEqual(['01', '03'])
    expect(await visit.getByTestId('plant-visit-dwell').textContent()).toMatch(/^\d+ 分钟$/)
    await walk('visits')

    await page.getByTestId('tab-presence').click()
    await page.locator(`[data-testid="plant-present"][data-plate="${staying}"][data-gate="02"]`).waitFor()
    expect(await page.locator(`[data-testid="plant-present"][data-plate="${visitor}"]`).count()).toBe(0)
    await walk('presence')

    await page.getByTestId('tab-alarms').click()
    const alarm = page.locator('[data-testid="alarm"][data-kind="dwell_overtime"]')
    await alarm.waitFor()
    expect(await alarm.textContent()).toContain(`${staying} 自 02 号门进厂已`)
    await walk('alarms')

    await page.getByTestId('tab-plantStatistics').click()
    await poll(() => page.getByTestId('plant-stats-total').getAttribute('data-veh-total')).toBe('3')
    await walk('statistics')
    // The statistics by gate as Excel, downloaded as the booth's reports are.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('plant-stats-export-xlsx').click()])
    expect(download.suggestedFilename()).toMatch(/^统计_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await download.path())!)
    expect(workbook.getWorksheet('分门岗统计')!.getColumn(1).values.slice(3)).toEqual(['01 号门', '02 号门', '03 号门'])

    // An in-plant vehicle filed at the plant (the PostgreSQL ledger): it reaches booth 01's replica.
    const inPlant = '豫A7P100'
    const ledgers = new LedgersPage(page)
    await ledgers.open('innerVehicles')
    const dialog: DialogPage = await ledgers.add('innerVehicles', 'inner-dialog')
    const fields: Record<string, string> = {
      license: inPlant,
      licenseColor: '2',
      vehicleType: 'H11',
      useCharacter: 'F',
      emissionStandard: '6',
      vin: 'LFV2A21K0A3000009',
      engineNo: 'E7788129',
      model: '解放牌CA4250',
      onwer: '许昌顺达物流有限公司',
      address: '河南省许昌市魏都区建设路 8 号',
      registerDate: '2019-05-01',
      issueDate: '2019-05-02',
      carStatus: '1'
    }
    for (const [name, value] of Object.entries(fields)) {
      const control = dialog.root().getByTestId(`inner-${name}`)
      if ((await control.evaluate((element) => element.tagName)) === 'SELECT') await control.selectOption(value)
      else await control.fill(value)
    }
    const licence = join(dir, '行驶证.jpg')
    writeFileSync(licence, await sharp({ create: { width: 640, height: 400, channels: 3, background: '#2f6fd0' } }).jpeg().toBuffer())
    await dialog.root().getByTestId('inner-drivingLicenseImg').setInputFiles(licence)
    await dialog.root().getByTestId('inner-drivingLicenseImg-preview').waitFor()
    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })
    await ledgers.expectUploaded('innerVehicles', inPlant)
    await walk('ledgers')
    // At the booth (its users came down the same feed): the vehicle is in its own in-plant ledger.
    const booth = new ApiSession(running.booth.url)
    await eventually('the booth to know the plant admin', async () => ((await booth.login(admin.username, admin.password)).status === 200 ? true : undefined), 30_000)
    await eventually('the in-plant vehicle in the booth replica', async () => {
      const reply = await booth.call('innerVehicles.list', { plate: inPlant, offset: 0, limit: 10 })
      return reply.body.result?.total === 1 ? reply.body.result.rows[0] : undefined
    }, 30_000)

    for (const tab of ['audit', 'deadLetters', 'booths', 'users', 'settings']) {
      await show(tab)
      await walk(tab)
    }
    await page.getByTestId('tab-booths').click()
    await poll(() => page.locator('[data-testid="plant-booth"][data-gate="01"][data-state="active"]').count()).toBe(1)
    expect(await page.getByTestId('plant-fingerprint').textContent()).toBe(running.plant.fingerprint)

    // Gate 01's exit lane, as its booth reported it, set here (必须登记货物才放行) and sent down to that booth.
    await page.getByTestId('tab-settings').click()
    const exitLane = page.locator('[data-testid="plant-gate-lanes"][data-gate="01"] [data-testid="lane-settings"][data-lane-id="out1"]')
    expect(await exitLane.locator('legend').textContent()).toBe('1号出口（出口）')
    await exitLane.getByTestId('lane-goods').check()
    await exitLane.getByTestId('lane-save').click()
    await poll(() => exitLane.getByTestId('lane-message').textContent()).toBe('已保存')
    expect(await exitLane.getByTestId('lane-updated').textContent()).toMatch(/^最近修改：厂级管理员，/)
    await eventually('the lane setting at the booth', async () => {
      const reply = await booth.call('laneSettings.list', {})
      return reply.body.result?.find((lane: { laneId: string; goodsBeforeExit: boolean }) => lane.laneId === 'out1' && lane.goodsBeforeExit)
    }, 30_000)

    // Goods recorded at the booth go up with its uploads and are a row of the plant's 货物台账, with their gate.
    const entered = (await booth.call('passages.list', { limit: 10, plate: visitor })).body.result.find((passage: { direction: string }) => passage.direction === 'in')
    expect((await booth.call('goods.record', { passageId: entered.id, hwmc: '钢材', ysl: '30' })).status).toBe(200)
    await eventually('the goods at the plant', async () => ((await store.repos.ledgers.goodsPage({ offset: 0, limit: 10 })).total === 1 ? true : undefined), 30_000)
    await ledgers.open('goods')
    const goodsRow = ledgers.row('goods', visitor)
    expect(await goodsRow.getByTestId('goods-gate').textContent()).toBe('01 号门')
    expect(await goodsRow.textContent()).toContain('管理员') // 录入方式: the booth's admin filed them
    await ledgers.expectUploaded('goods', visitor)
    await walk('goods')

    // Every tab again on a wide screen.
    await page.setViewportSize({ width: 1920, height: 1080 })
    for (const tab of ['plantJournal', 'visits', 'presence', 'alarms', 'plantStatistics', 'ledgers', 'audit', 'deadLetters', 'booths', 'users', 'settings']) {
      await show(tab)
      await walk(`${tab}-1920`)
    }
    expect(found).toEqual({})

    // A guard made in 用户管理 logs in to the same workspace and reads the views, without the admin's screens.
    await page.getByTestId('tab-users').click()
    await page.getByTestId('plant-user-username').fill('plantguard')
    await page.getByTestId('plant-user-name').fill('值班门卫')
    await page.getByTestId('plant-user-role').selectOption('guard')
    await page.getByTestId('plant-user-password').fill('plant-guard-1')
    await page.getByTestId('plant-user-add').click()
    await poll(() => page.getByTestId('plant-user').count()).toBe(2)
    await page.getByTestId('logout').click()
    await new LoginPage(page).login('plantguard', 'plant-guard-1')
    await page.getByTestId('plant-journal').waitFor()
    for (const tab of ['plantJournal', 'visits', 'presence', 'alarms', 'plantStatistics', 'ledgers', 'audit']) expect(await page.getByTestId(`tab-${tab}`).count()).toBe(1)
    for (const tab of ['booths', 'users', 'settings']) expect(await page.getByTestId(`tab-${tab}`).count()).toBe(0)
    await context.close()
  }, 180_000)
})
