/**
 * The leak walker: as an admin (who sees every screen), walks the lane board (journal, alarms) and every screen of the
 * admin workspace (audit log, reports, each ledger with a history, failed uploads, alarm history, settings with a list
 * entry, control measures and lane settings), at 1366×768 and 1920×1080, and fails on
 * anything of the code showing through the Chinese UI: Latin identifiers (lane ids, command names, field codes,
 * English), raw JSON, code values (`1 → 2`, B7 codes such as H11) and ISO/UTC times. A screenshot of each screen
 * lands in test-results/ (ui-leaks-<screen>-<width>.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { stopProcess } from '../integration/support'
import { AdminWorkspacePage, DialogPage, hikvisionAnprAlert, LaneBoardPage, launchChromium, leaks, LoginPage, poll, screenshot, startDemoHost, type DemoHost } from './pages'

let host: DemoHost
let browser: Browser

beforeAll(async () => {
  host = await startDemoHost()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host?.process)
})

/** Screenshots the screen and adds what leaks on it to `found` (all screens are walked before the test fails). */
async function walk(page: Page, screen: string, width: number, found: Record<string, string[]>): Promise<void> {
  await screenshot(page, `ui-leaks-${screen}-${width}`)
  const leaked = await leaks(page)
  if (leaked.length > 0) found[screen] = leaked
}

/** Something on every screen: passages allowed, refused, released by hand and corrected, alarms, audit entries. */
async function seed(page: Page, board: LaneBoardPage): Promise<void> {
  // From a Hikvision camera: its vehicle type shows as 车型 on the tile and in the journal.
  const alert = await fetch(`${host.lprUrl}/lpr/in1`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: hikvisionAnprAlert('豫A00005', 'mediumHeavyTruck') })
  expect(alert.status).toBeLessThan(300)
  await board.enterPlate('out1', '豫A00004')
  await poll(() => board.tile('out1').getAttribute('data-held')).toBe('true')
  await page.keyboard.press('F1')
  const release = new DialogPage(page, 'release-dialog')
  await release.root().waitFor()
  await release.root().getByTestId('release-reason').selectOption('leader_approved')
  await release.root().getByTestId('release-note').fill('值班长批准')
  await release.root().getByTestId('release-confirm').check()
  await release.submit()
  await release.root().waitFor({ state: 'detached' })
  await board.enterPlate('in1', '豫A00003')
  await poll(() => board.tile('in1').getAttribute('data-held')).toBe('true')
  // An in-plant vehicle filed, retyped and sealed: its history holds code values (B7.7 type, status) to read as labels.
  const licence = (await sharp({ create: { width: 320, height: 200, channels: 3, background: '#8aa' } }).jpeg().toBuffer()).toString('base64')
  const truck = { license: '豫A70001', licenseColor: '2', vehicleType: 'H11', vin: 'LFV2A21K0A3700001', useCharacter: 'A', engineNo: 'E7001', onwer: '许昌示范钢铁有限公司', address: '许昌市魏都区', model: '解放J6P', registerDate: '2021-03-15', issueDate: '2021-03-16', emissionStandard: '6' }
  const created = await invoke<{ id: number }>(page, 'innerVehicles.save', { ...truck, drivingLicenseImg: licence })
  await invoke(page, 'innerVehicles.save', { ...truck, id: created.id, vehicleType: 'H12' })
  await invoke(page, 'innerVehicles.setStatus', { id: created.id, status: '2', note: '年检过期' })
}

async function invoke<T>(page: Page, command: string, input: unknown): Promise<T> {
  const reply = await page.evaluate(
    async ([name, body]) => (await fetch(`/api/${name as string}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ ok: boolean; result?: unknown; error?: unknown }>,
    [command, input] as const
  )
  if (!reply.ok) throw new Error(`${command}: ${JSON.stringify(reply.error)}`)
  return reply.result as T
}

/**
 * Settings, lists, alarms and video for the admin workspace: a blacklist entry with its validity, control measures
 * with a start and an end, a lane's settings, a forced pass (闯岗 alarm), a clip asked for; each is audited.
 */
async function seedAdmin(page: Page): Promise<void> {
  await invoke(page, 'localLists.add', { kind: 'black', plate: '豫A99001', note: '超载', validity: '3m' })
  const start = Date.now() - 3_600_000
  await invoke(page, 'controlMeasures.set', {
    level: '2', area: '1', strategy: '1', enterpriseType: null, measures: null, note: '橙色预警',
    startsAt: new Date(start).toISOString(), endsAt: new Date(start + 86_400_000).toISOString()
  })
  await invoke(page, 'laneSettings.set', { laneId: 'in1', allowedColours: ['1', '2'], confirmEveryOpening: false, goodsBeforeExit: false })
  const controls = /demo devices out1 (\{.*\})/.exec(host.process.output())
  expect(controls, 'the demo host names its device simulators').not.toBeNull()
  const barrier = (JSON.parse(controls![1]!) as { barrier: string }).barrier
  // A forced pass is one under the lowered arm, with the lane idle (the released truck gone).
  await poll(async () => ((await (await fetch(`${barrier}/state`)).json()) as { arm: string; loopOccupied: boolean })).toMatchObject({ arm: 'down', loopOccupied: false })
  expect((await fetch(`${barrier}/force-pass`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(200)
  await poll(async () => (await invoke<{ kind: string }[]>(page, 'alarms.list', {})).map((alarm) => alarm.kind)).toContain('forced_pass')
  const [passage] = await invoke<{ id: number }[]>(page, 'passages.list', { limit: 1, laneId: 'in1' })
  await invoke(page, 'passage.clip.request', { passageId: passage!.id })
}

/** The four ledgers, an in-plant vehicle's history among them. */
async function walkLedgers(page: Page, width: number, found: Record<string, string[]>): Promise<void> {
  for (const kind of ['goods', 'vehicles', 'innerVehicles', 'machines']) {
    await page.getByTestId(`ledger-tab-${kind}`).click()
    await page.getByTestId(`ledger-${kind}`).waitFor()
    await walk(page, `ledgers-${kind}`, width, found)
    if (kind === 'innerVehicles') {
      await page.getByTestId('ledger-innerVehicles').getByTestId('ledger-history').first().click()
      await page.getByTestId('history-row').first().waitFor()
      await walk(page, 'ledgers-history', width, found)
      await page.keyboard.press('Escape')
      await page.getByTestId('history-dialog').waitFor({ state: 'detached' })
    }
  }
}

/** Each tab of the page (the board's or the workspace's), by its screen name. */
async function tabsOf(page: Page): Promise<string[]> {
  const tabs = await page.locator('[role="tab"][data-testid^="tab-"]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!))
  return tabs.map((tab) => tab.slice('tab-'.length))
}

/** What a screen waits for before it is read: its rows, not its loading state. */
const READY: Readonly<Record<string, string>> = {
  audit: 'audit-row',
  reports: 'reports-panel',
  alarmHistory: 'history-row',
  settings: 'list-row',
  alarms: 'alarm'
}

describe('the leak walker', () => {
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1920, height: 1080 }
  ]) {
    it(`finds no code, id, English, JSON or UTC time on any screen at ${viewport.width}×${viewport.height}`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' })
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      await page.goto(host.url)
      await new LoginPage(page).login('admin', 'admin123')
      const board = new LaneBoardPage(page)
      await board.waitForBoard()
      if (viewport.width === 1366) {
        await seed(page, board)
        await seedAdmin(page)
      }

      const found: Record<string, string[]> = {}
      // The lane board: its own screens (the journal, the alarms).
      await walk(page, 'board', viewport.width, found)
      const boardTabs = await tabsOf(page)
      expect(boardTabs).toEqual(expect.arrayContaining(['journal', 'alarms']))
      for (const screen of boardTabs) {
        await page.getByTestId(`tab-${screen}`).click()
        if (READY[screen]) await page.getByTestId(READY[screen]).first().waitFor()
        await walk(page, screen, viewport.width, found)
      }

      // The admin workspace (#/admin): every screen, the ledgers each with an in-plant vehicle's history.
      const workspace = new AdminWorkspacePage(page)
      await workspace.open()
      const adminTabs = await tabsOf(page)
      expect(adminTabs).toEqual(expect.arrayContaining(['audit', 'reports', 'ledgers', 'deadLetters', 'alarmHistory', 'settings']))
      for (const screen of adminTabs) {
        await page.getByTestId(`tab-${screen}`).click()
        if (screen === 'ledgers') {
          await walkLedgers(page, viewport.width, found)
          continue
        }
        if (READY[screen]) await page.getByTestId(READY[screen]).first().waitFor()
        if (screen === 'audit') {
          // The newer commands are among the sentences walked.
          const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))
          expect(actions).toEqual(expect.arrayContaining(['barrier.raised', 'passage.clip.request', 'laneSettings.set', 'controlMeasures.set', 'localLists.add', 'lane.release']))
        }
        await walk(page, `admin-${screen}`, viewport.width, found)
      }
      await context.close()
      expect(found).toEqual({})
    })
  }
})
