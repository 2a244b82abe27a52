/**
 * Manual release with a reason and plate correction, end to end in Chromium against the demo host: the lane's
 * `lane.release` and `passage.correctPlate` driven from the board, and the audit that shows who did what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ApiSession, stopProcess } from '../integration/support'
import { DialogPage, focused, poll, JournalPage, LaneBoardPage, launchChromium, LoginPage, screenshot, startDemoHost, type DemoHost } from './pages'

let host: DemoHost
let browser: Browser
let context: BrowserContext
let page: Page
let board: LaneBoardPage

beforeAll(async () => {
  host = await startDemoHost()
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  page = await context.newPage()
  await page.goto(host.url)
  await new LoginPage(page).login('guard', 'guard123')
  board = new LaneBoardPage(page)
  await board.waitForBoard()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host?.process)
})

/** The audit log as an admin reads it through the API. */
async function auditEntries(action: string): Promise<any[]> {
  const admin = new ApiSession(host.url)
  await admin.login('admin', 'admin123')
  return (await admin.call('audit.list', { limit: 50, action })).body.result
}

describe('manual release of a refused truck', () => {
  it('needs a reason and the violation confirmed, and the audit shows who released it and why', async () => {
    await board.enterPlate('in1', '豫A00003')
    await poll(() => board.tile('in1').getAttribute('data-decision')).toBe('refuse')

    await board.action('in1', 'release').click()
    const release = new DialogPage(page, 'release-dialog')
    await release.root().waitFor()
    await page.getByTestId('release-reason').selectOption('leader_approved')
    await page.getByTestId('release-note').fill('值班领导电话批准')
    await page.getByTestId('release-confirm').check()
    await release.submit()
    await poll(() => release.root().count()).toBe(0)
    expect(await focused(page)).toBe('lane-tile:in1')

    const [entry] = await auditEntries('lane.release')
    expect(entry).toMatchObject({
      actor: { userId: 'guard', role: 'guard' },
      subject: 'laneId=in1',
      detail: { input: { laneId: 'in1', reason: 'leader_approved', note: '值班领导电话批准', confirmViolation: true } }
    })

    await page.getByTestId('tab-audit').click()
    await page.locator('[data-testid="audit-row"][data-action="lane.release"][data-actor="guard"]').waitFor()
    await screenshot(page, 'ui-manual-release-audit')
  })
})

describe('plate correction', () => {
  it('corrects a misread plate on the recorded passage, keeping its serial number, and logs it', async () => {
    await page.getByTestId('tab-journal').click()
    await board.enterPlate('out1', '豫A00004')
    const journal = new JournalPage(page)
    const misread = journal.row('豫A00004')
    await misread.waitFor()
    const lsh = await misread.getAttribute('data-lsh')

    await page.keyboard.press('Alt+Digit2')
    await page.keyboard.press('F3')
    const correct = new DialogPage(page, 'correct-dialog')
    await correct.root().waitFor()
    await poll(() => focused(page)).toBe('correct-plate')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('豫A00005')
    await page.keyboard.press('Enter')
    await poll(() => correct.root().count()).toBe(0)

    await poll(() => page.locator(`[data-testid="passage-row"][data-lsh="${lsh}"]`).getAttribute('data-plate')).toBe('豫A00005')
    const [entry] = await auditEntries('passage.correctPlate')
    expect(entry).toMatchObject({ actor: { userId: 'guard' }, detail: { input: { plate: '豫A00005', colour: '1' } } })
  })
})
