/**
 * The guard's hard moments on the real board in Chromium: the truck that needs the guard takes F1–F4 whatever lane
 * is selected, the dialog names the truck it acts on and main refuses it once the lane holds another, two waiting
 * trucks come oldest first and Tab switches, and the platform going down turns the status red within 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { postJson, stopProcess } from '../integration/support'
import { DialogPage, JournalPage, LaneBoardPage, launchChromium, LoginPage, poll, screenshot, startDemoHost, type DemoHost } from './pages'

let host: DemoHost
let browser: Browser

/** Blacklisted by the admin: each is refused and held, as many trucks as the scenarios need (no dedup between them). */
const BLACK = ['豫B10001', '豫B10002', '豫B10003', '豫B10004', '豫B10005', '豫B10006', '豫B10007', '豫B10008']
let nextBlack = 0
const refusedPlate = () => BLACK[nextBlack++]!

beforeAll(async () => {
  host = await startDemoHost()
  browser = await launchChromium()
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(host.url)
  await new LoginPage(page).login('admin', 'admin123')
  await new LaneBoardPage(page).waitForBoard()
  for (const plate of BLACK) expect((await invoke(page, 'localLists.add', { kind: 'black', plate, note: '演示黑名单' })).ok).toBe(true)
  await context.close()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host?.process)
})

/** The demo's simulated city platform (its admin endpoints sit beside the /ysgk prefix). */
function platformSim(): string {
  const base = /simulated city platform at (http:\/\/\S+?)\/ysgk/.exec(host.process.output())?.[1]
  if (!base) throw new Error('the demo host did not say where its platform simulator is')
  return base
}

async function platformFault(mode: 'down' | 'none'): Promise<void> {
  const response = await fetch(`${platformSim()}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode }) })
  expect(response.ok).toBe(true)
}

/** A command sent as the logged-in guard, past the UI (someone else acting on the lane meanwhile). */
async function invoke(page: Page, command: string, input: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/${name as string}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      return (await response.json()) as { ok: boolean; error?: { code: string; message: string } }
    },
    [command, input] as const
  )
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 }
]) {
  describe(`attention first at ${viewport.width}×${viewport.height}`, () => {
    let context: BrowserContext
    let page: Page
    let board: LaneBoardPage

    beforeAll(async () => {
      context = await browser.newContext({ viewport, locale: 'zh-CN' })
      page = await context.newPage()
      await page.goto(host.url)
      await new LoginPage(page).login('guard', 'guard123')
      board = new LaneBoardPage(page)
      await board.waitForBoard()
    })
    afterAll(() => context.close())

    it('F1 releases the truck held on lane 2 while lane 1 is selected, naming it in the dialog', async () => {
      await board.tile('in1').click()
      await poll(() => board.tile('in1').getAttribute('aria-current')).toBe('true')
      const plate = viewport.width === 1366 ? '豫A00004' : refusedPlate()
      await board.enterPlate('out1', plate)
      await poll(() => board.tile('out1').getAttribute('data-held')).toBe('true')
      await board.tile('in1').click()

      const attention = page.getByTestId('attention')
      await poll(() => attention.getAttribute('data-lane-id')).toBe('out1')
      expect(await attention.getAttribute('data-plate')).toBe(plate)
      await poll(() => attention.getByTestId('attention-reason').textContent()).toMatch(/国三排放标准|本地黑名单/)
      await poll(() => board.tile('out1').getByTestId('hold-countdown').textContent()).toMatch(/\d+ 秒后自动关闭/)
      await screenshot(page, `ui-attention-${viewport.width}`)

      await page.keyboard.press('F1')
      const dialog = new DialogPage(page, 'release-dialog')
      await dialog.root().waitFor()
      expect(await page.getByRole('dialog').textContent()).toContain(`人工放行 · 1号出口 · ${plate}`)
      expect(await dialog.root().getByTestId('truck-seen').getAttribute('data-plate')).toBe(plate)
      await dialog.root().getByTestId('release-reason').selectOption('leader_approved')
      await dialog.root().getByTestId('release-note').fill('值班长电话批准')
      await dialog.root().getByTestId('release-confirm').check()
      await dialog.submit()
      await dialog.root().waitFor({ state: 'detached' })

      // Lane 2's truck went through; lane 1 was never touched.
      await poll(() => board.tile('out1').getAttribute('data-held')).toBeNull()
      const journal = new JournalPage(page)
      await poll(() => journal.row(plate).first().getAttribute('data-decision')).toBe('allow')
      expect(await board.tile('in1').getAttribute('data-held')).toBeNull()
      expect(await attention.count()).toBe(0)
      // The closed passage reads closed, with nothing to release or refuse.
      await poll(() => board.tile('out1').getAttribute('data-closed')).toBe('true')
      expect(await board.action('out1', 'release').isDisabled()).toBe(true)
      expect(await board.action('out1', 'refuse').isDisabled()).toBe(true)
    })

    it('refuses a release whose truck is no longer the one held, in Chinese, and releases nothing', async () => {
      const [first, second] = [refusedPlate(), refusedPlate()]
      await board.enterPlate('out1', first)
      await poll(() => page.getByTestId('attention').getAttribute('data-plate')).toBe(first)
      await page.keyboard.press('F1')
      const dialog = new DialogPage(page, 'release-dialog')
      await dialog.root().waitFor()
      const seen = Number(await dialog.root().getByTestId('truck-seen').getAttribute('data-passage-id'))
      // Meanwhile someone refuses that truck and another refused truck comes up on the lane.
      expect((await invoke(page, 'lane.refuse', { laneId: 'out1', note: '', passageId: seen })).ok).toBe(true)
      // The next truck is read by the lane camera (the guard's dialog stays open).
      expect((await postJson(`${host.lprUrl}/lpr/out1`, { plate: second, colour: '1' })).status).toBe(201)
      await poll(() => board.tile('out1').getAttribute('data-plate')).toBe(second)
      await poll(() => board.tile('out1').getAttribute('data-held')).toBe('true')

      await dialog.root().getByTestId('release-reason').selectOption('misread')
      await dialog.root().getByTestId('release-confirm').check()
      await dialog.submit()
      await poll(() => dialog.error().textContent()).toContain(`未放行：车辆 ${first} 已不在1号出口等待处理，当前等待的是 ${second}`)
      expect(await board.tile('out1').getAttribute('data-held')).toBe('true')
      await page.keyboard.press('Escape')
      await dialog.root().waitFor({ state: 'detached' })
    })

    it('puts the oldest waiting truck first and lets Tab switch; F2 refuses the one switched to', async () => {
      // out1 holds a truck (above); in1's comes later, so out1's stays first whatever lane is selected.
      const later = refusedPlate()
      await board.enterPlate('in1', later)
      await poll(() => board.tile('in1').getAttribute('data-held')).toBe('true')
      const attention = page.getByTestId('attention')
      await poll(() => attention.getAttribute('data-lane-id')).toBe('out1')
      expect(await attention.getByTestId('attention-others').textContent()).toContain('1号入口')
      await board.tile('out1').focus()
      await page.keyboard.press('Tab')
      await poll(() => attention.getAttribute('data-lane-id')).toBe('in1')
      await page.keyboard.press('F2')
      const dialog = new DialogPage(page, 'refuse-dialog')
      await dialog.root().waitFor()
      expect(await dialog.root().getByTestId('truck-seen').getAttribute('data-plate')).toBe(later)
      expect(await page.getByRole('dialog').textContent()).toContain(`人工拒绝 · 1号入口 · ${later}`)
      await dialog.submit()
      await dialog.root().waitFor({ state: 'detached' })
      await poll(() => board.tile('in1').getAttribute('data-held')).toBeNull()
      // The one left takes the keys again.
      await poll(() => attention.getAttribute('data-lane-id')).toBe('out1')
      await page.keyboard.press('F2')
      await dialog.root().waitFor()
      await dialog.submit()
      await dialog.root().waitFor({ state: 'detached' })
      await poll(() => attention.count()).toBe(0)
    })

    it('turns the platform status red with a banner within 3 s of the platform going down, and green again', async () => {
      const link = page.getByTestId('platform-link')
      await poll(() => link.getAttribute('data-state')).toBe('online')
      await platformFault('down')
      const downAt = Date.now()
      try {
        await poll(() => link.getAttribute('data-state'), { timeout: 3_000 }).toBe('down')
        console.log(`platform down → status red after ${Date.now() - downAt} ms at ${viewport.width}×${viewport.height}`)
        expect(await page.getByTestId('platform-banner').textContent()).toContain('市级平台无法连接')
        expect(await link.textContent()).toContain('平台无法连接')
        await screenshot(page, `ui-platform-down-${viewport.width}`)
      } finally {
        await platformFault('none')
      }
      await poll(() => link.getAttribute('data-state')).toBe('online')
      expect(await page.getByTestId('platform-banner').count()).toBe(0)
    })
  })
}

describe('photos and plate rules', () => {
  it('a typed plate gets the lane camera photo; correction shows it, fills the province and refuses 豫A1234', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(host.url)
    await new LoginPage(page).login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    await board.enterPlate('in1', '豫A00005')
    await poll(() => board.tile('in1').getAttribute('data-plate')).toBe('豫A00005')
    await board.tile('in1').getByTestId('lane-photo').waitFor()
    await board.tile('in1').getByTestId('lane-photo-open').click()
    await new DialogPage(page, 'photo-viewer').root().waitFor()
    await page.keyboard.press('Escape')

    await board.action('in1', 'correct').click()
    const correct = new DialogPage(page, 'correct-dialog')
    await correct.root().waitFor()
    await correct.root().getByTestId('correct-photo').getByTestId('lane-photo').waitFor()
    const plate = correct.root().getByTestId('correct-plate')
    await plate.fill('A1234')
    // Typed without a province: the plant's own (豫, from its enterprise code) goes in front.
    expect(await plate.inputValue()).toBe('豫A1234')
    await correct.submit()
    await poll(() => correct.issue('correct-plate').textContent()).toBe('该颜色车牌应为 7 位（豫A1234 为 6 位）')
    // The key pad sets the province.
    await plate.fill('豫A12399')
    await correct.root().getByTestId('province-keys').getByText('京', { exact: true }).click()
    expect(await plate.inputValue()).toBe('京A12399')
    await screenshot(page, 'ui-correct-dialog')
    await page.keyboard.press('Escape')
    await context.close()
  })
})

describe('guard tools', () => {
  it('开闸 needs a reason, raises the arm by software and is audited; 关闸 lowers it', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(host.url)
    await new LoginPage(page).login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    const arm = board.tile('out1').getByTestId('barrier-arm')
    await poll(() => arm.textContent()).toBe('落下')

    await board.tile('out1').getByTestId('barrier-open').click()
    const dialog = new DialogPage(page, 'barrier-dialog')
    await dialog.root().waitFor()
    await dialog.submit()
    await poll(() => dialog.issue('barrier-reason').textContent()).toBe('请填写开闸或关闸的原因')
    await dialog.root().getByTestId('barrier-reason').fill('消防车辆进厂')
    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })
    await poll(() => arm.textContent()).toBe('抬起')

    await board.tile('out1').getByTestId('barrier-close').click()
    await dialog.root().waitFor()
    await dialog.root().getByTestId('barrier-reason').fill('消防车辆已通过')
    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })
    await poll(() => arm.textContent()).toBe('落下')

    await page.getByTestId('tab-audit').click()
    const row = page.locator('[data-testid="audit-row"][data-action="lane.barrier"]').first()
    await row.waitFor()
    expect(await row.textContent()).toMatch(/开闸或关闸（软件操作）1号出口.*动作：关闸，原因：消防车辆已通过/)
    await context.close()
  })
})

describe('无牌车 / 临时车', () => {
  it('holds a truck without a plate for the guard with the lane photo, takes F1 and refuses a temporary one without its number', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(host.url)
    await new LoginPage(page).login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    await page.getByTestId('lane-select').selectOption('in1')
    await page.getByTestId('unplated').click()
    const dialog = new DialogPage(page, 'unplated-dialog')
    await dialog.root().waitFor()
    await dialog.root().getByTestId('unplated-kind').selectOption('temporary')
    await dialog.submit()
    await poll(() => dialog.issue('unplated-number').textContent()).toBe('请填写临时号牌号码')
    await dialog.root().getByTestId('unplated-kind').selectOption('none')
    await dialog.submit()
    await dialog.root().waitFor({ state: 'detached' })

    const attention = page.getByTestId('attention')
    await poll(() => attention.getAttribute('data-plate')).toBe('无牌车')
    expect(await attention.getByTestId('attention-reason').textContent()).toBe('无牌车：平台无法核验，请人工核验后放行或拒绝')
    await board.tile('in1').getByTestId('lane-photo').waitFor()
    await page.keyboard.press('F1')
    const release = new DialogPage(page, 'release-dialog')
    await release.root().waitFor()
    expect(await release.root().getByTestId('truck-seen').getAttribute('data-plate')).toBe('无牌车')
    await release.root().getByTestId('release-reason').selectOption('plant_vehicle')
    await release.submit()
    await release.root().waitFor({ state: 'detached' })
    const row = new JournalPage(page).row('无牌车').first()
    await poll(() => row.getAttribute('data-decision')).toBe('allow')
    // Recorded as 无牌车 (B7.1 5 其他) and accepted by the platform like any passage.
    await poll(() => row.getAttribute('data-upload')).toBe('uploaded')
    await context.close()
  })
})

describe('a forced pass', () => {
  it('shows 闯岗 in the 需要处理 card with its lane, and is confirmed from there', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(host.url)
    await new LoginPage(page).login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    // The arm down and the lane idle (a truck of an earlier scenario may still be leaving).
    await poll(() => board.tile('in1').getByTestId('barrier-arm').textContent(), { timeout: 30_000 }).toBe('落下')
    await poll(() => board.tile('in1').getAttribute('data-held')).toBeNull()
    const controls = JSON.parse(/^demo devices in1 (\{.*\})$/m.exec(host.process.output())![1]!) as { barrier: string }
    // A truck over the loop with the arm down: nobody read its plate.
    expect((await postJson(`${controls.barrier}/force-pass`, {})).status).toBe(200)
    const forced = page.getByTestId('attention-forced')
    await poll(() => forced.textContent()).toMatch(/强行通过 1号入口 .*闯岗/)
    // Every open 闯岗 (earlier scenarios on this host may have left one) is confirmed from the card.
    const ack = new DialogPage(page, 'ack-dialog')
    while ((await forced.getByTestId('attention-forced-ack').count()) > 0) {
      await forced.getByTestId('attention-forced-ack').first().click()
      await ack.root().waitFor()
      await ack.root().getByTestId('ack-note').fill('已调取录像，通知保卫科')
      await ack.submit()
      await ack.root().waitFor({ state: 'detached' })
    }
    await poll(() => page.getByTestId('attention-forced').count()).toBe(0)
    await context.close()
  }, 60_000)
})
