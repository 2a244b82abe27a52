import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { postJson, stopProcess } from '../integration/support'
import { AdminWorkspacePage, DialogPage, focused, poll, JournalPage, LaneBoardPage, launchChromium, LoginPage, screenshot, startDemoHost, type DemoHost } from './pages'

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

async function openPage(): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const requests: string[] = []
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (path.startsWith('/api/')) requests.push(path.slice('/api/'.length))
  })
  await page.goto(host.url)
  return { context, page, requests }
}

describe('login', () => {
  it('shows the demo accounts, refuses a wrong password inline and lets the guard in', async () => {
    const { context, page, requests } = await openPage()
    const login = new LoginPage(page)
    await poll(() => page.getByTestId('demo-accounts').textContent()).toContain('guard / guard123')
    // Nothing of the board before a login.
    expect(await page.getByTestId('lane-tile').count()).toBe(0)

    await page.getByTestId('login-submit').click()
    await poll(() => page.getByTestId('issue-login-username').textContent()).toBe('请输入用户名')
    expect(requests.filter((command) => command === 'auth.login')).toHaveLength(0)

    await login.login('guard', 'not-the-password')
    await poll(() => login.error().textContent()).toBe('用户名或密码错误')

    await login.login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    await poll(() => board.onDuty().textContent()).toMatch(/演示门卫（门卫）/)
    // The session cookie is not readable by page scripts.
    expect(await page.evaluate('document.cookie')).toBe('')
    await context.close()
  })
})

describe('the lane board', () => {
  let context: BrowserContext
  let page: Page
  let board: LaneBoardPage

  beforeAll(async () => {
    ;({ context, page } = await openPage())
    await new LoginPage(page).login('guard', 'guard123')
    board = new LaneBoardPage(page)
    await board.waitForBoard()
  })
  afterAll(() => context.close())

  it('updates the tile when a camera pushes a plate, with its photo, and highlights it', async () => {
    // A real, decodable JPEG, as a camera sends: the tile and the viewer show it.
    const photo = await sharp({ create: { width: 480, height: 270, channels: 3, background: '#d8a200' } }).jpeg().toBuffer()
    const pushed = await postJson(`${host.lprUrl}/lpr/in1`, { plate: '豫A00005', colour: '1', images: { front: photo.toString('base64') } })
    expect(pushed.status).toBe(201)
    await poll(() => board.tilePlate('in1')).toBe('豫A00005')
    const tile = board.tile('in1')
    // The plate shows while it is verified; the verdict follows in the next lane.state.
    await poll(() => tile.getAttribute('data-decision')).toBe('allow')
    expect(await tile.getAttribute('data-fresh')).toBe('true')
    await poll(() => tile.textContent()).toMatch(/排放阶段：国Ⅵ燃料：柴油/)
    const shown = tile.getByTestId('lane-photo')
    await shown.waitFor()
    await poll(() => shown.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(480)
    await screenshot(page, 'ui-lane-board-allowed')
  })

  it('shows a refused truck in red with its reason and sounds the alert', async () => {
    const alertsBefore = Number(await board.board().getAttribute('data-refusal-alerts'))
    await board.enterPlate('out1', '豫A00004')
    await poll(() => board.tilePlate('out1')).toBe('豫A00004')
    // The tile shows the plate as soon as main reads it (lane.state 'verifying', no decision yet), then the verdict.
    await poll(() => board.tile('out1').getAttribute('data-decision')).toBe('refuse')
    await poll(() => board.tile('out1').getByTestId('lane-reason').textContent()).toMatch(/国三排放标准/)
    await poll(async () => Number(await board.board().getAttribute('data-refusal-alerts'))).toBe(alertsBefore + 1)
    await screenshot(page, 'ui-lane-board-refused')
  })

  it('journal filters by plate, lane, decision and upload state, served by main', async () => {
    await board.enterPlate('in1', '豫A12345')
    const journal = new JournalPage(page)
    await journal.row('豫A12345').waitFor()

    await journal.plateFilter().fill('00')
    await journal.expectPlates(['豫A00005', '豫A00004'])
    await page.getByTestId('filter-lane').selectOption('out1')
    await journal.expectPlates(['豫A00004'])
    await page.getByTestId('filter-clear').click()

    await page.getByTestId('filter-decision').selectOption('refuse')
    await journal.expectPlates(['豫A00004'])
    await page.getByTestId('filter-decision').selectOption('allow')
    await poll(async () => new Set(await journal.decisionsShown())).toEqual(new Set(['allow']))
    await page.getByTestId('filter-decision').selectOption('')

    await page.getByTestId('filter-upload').selectOption('failed')
    await journal.expectPlates([])
    // The two allowed trucks drove through the simulated barrier and were uploaded. The refused truck is still held
    // in its lane for the guard (lane timing decisionHoldMs): its record is uploaded once the lane closes it.
    await page.getByTestId('filter-upload').selectOption('uploaded')
    await journal.expectPlates(['豫A00005', '豫A12345'])
    await page.getByTestId('filter-upload').selectOption('pending')
    await journal.expectPlates(['豫A00004'])
    await page.getByTestId('filter-clear').click()
    await poll(async () => (await journal.platesShown()).length).toBeGreaterThanOrEqual(3)
  })

  it('opens a passage’s photos from the journal in a zoomable viewer', async () => {
    const journal = new JournalPage(page)
    await journal.row('豫A00005').click()
    const viewer = new DialogPage(page, 'photo-viewer')
    const photo = viewer.root().getByTestId('passage-photo').locator('img')
    await photo.waitFor()
    expect(await photo.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,\/9j\//)
    await photo.click()
    await page.locator('.ant-image-preview').waitFor()
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await poll(() => viewer.root().count()).toBe(0)
  })

  it('switches to English and back', async () => {
    await page.getByTestId('language').click()
    await poll(() => board.action('in1', 'release').textContent()).toMatch(/Release/)
    await page.getByTestId('language').click()
    await poll(() => board.action('in1', 'release').textContent()).toMatch(/人工放行/)
  })
})

describe('shift hand-over', () => {
  it('hands the board to the incoming user, shows them on duty and logs both', async () => {
    const { context, page, requests } = await openPage()
    await new LoginPage(page).login('guard', 'guard123')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()
    await page.getByTestId('handover').click()
    const handover = new DialogPage(page, 'handover-dialog')
    await handover.root().waitFor()
    // The outgoing shift's figures, counted by main's journal and alarms since this login.
    await poll(() => handover.root().getByTestId('shift-summary').textContent()).toMatch(/^本班过车 \d+ 辆（放行 \d+，禁止 \d+，待人工 \d+）；人工放行 \d+ 次/)
    await handover.submit()
    await poll(() => handover.issue('handover-username').textContent()).toBe('请输入用户名')
    expect(requests.filter((command) => command === 'auth.handover')).toHaveLength(0)

    await page.getByTestId('handover-username').fill('admin')
    await page.getByTestId('handover-password').fill('admin123')
    await page.getByTestId('handover-note').fill('2号道闸地感偶发误报')
    await handover.submit()
    await poll(() => board.onDuty().getAttribute('data-user')).toBe('admin')
    expect(await board.onDuty().textContent()).toMatch(/演示管理员（管理员）/)

    // An admin reads the audit log in the admin workspace, then is back on the board.
    await new AdminWorkspacePage(page).show('audit')
    await page.locator('[data-testid="audit-row"][data-action="shift.handover"][data-actor="admin"]').waitFor()
    await page.getByTestId('nav-board').click()
    // The board keeps working for the incoming user, events included.
    await board.enterPlate('in1', '豫A13579')
    await poll(() => board.tilePlate('in1')).toBe('豫A13579')

    await page.getByTestId('logout').click()
    await page.getByTestId('login-username').waitFor()
    await context.close()
  })
})

describe('keyboard only', () => {
  it('logs in, enters a plate, opens the lane actions, rejects bad forms inline and keeps focus', async () => {
    const { context, page, requests } = await openPage()
    await page.getByTestId('login-username').waitFor()
    await page.keyboard.type('guard')
    await page.keyboard.press('Tab')
    await page.keyboard.type('guard123')
    await page.keyboard.press('Enter')
    const board = new LaneBoardPage(page)
    await board.waitForBoard()

    // F6: the plate entry; the plate goes to the selected lane (in1).
    await page.keyboard.press('F6')
    expect(await focused(page)).toBe('plate-input')
    await page.keyboard.type('豫A00003')
    await page.keyboard.press('Enter')
    await poll(() => board.tilePlate('in1')).toBe('豫A00003')
    // The plate shows while main still verifies it (and it may wait behind the previous test's truck): the actions
    // below are the guard's answer to the verdict, so they start once the tile shows it.
    await poll(() => board.tile('in1').getAttribute('data-decision')).toBe('refuse')
    expect(await focused(page)).toBe('plate-input')

    // Alt+1 chooses lane 1 and focuses its tile. F1 acts on the truck that needs the guard, the oldest waiting one
    // whatever lane is selected: out1's refused truck of the test above if it is still held, else this one.
    await page.keyboard.press('Alt+Digit1')
    expect(await focused(page)).toBe('lane-tile:in1')
    const target = await page.getByTestId('attention').getAttribute('data-lane-id')
    expect(['in1', 'out1']).toContain(target)
    await page.keyboard.press('F1')
    const release = new DialogPage(page, 'release-dialog')
    await release.root().waitFor()
    // The dialog moves focus to its first field once it has opened (afterOpenChange).
    await poll(() => focused(page)).toBe('release-reason')
    // No reason chosen, refused truck not confirmed: inline problems, nothing sent.
    await page.keyboard.press('Enter')
    await poll(() => release.issue('release-reason').textContent()).toBe('请选择放行原因')
    expect(await release.issue('release-confirm').textContent()).toBe('放行被拒车辆须勾选确认')
    // 'other' (the last reason) demands a note; Tab, Tab reaches the confirmation box, Space ticks it.
    await page.keyboard.press('End')
    expect(await page.getByTestId('release-reason').inputValue()).toBe('other')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('release-confirm')
    await page.keyboard.press('Space')
    await page.keyboard.press('Enter')
    await poll(() => release.issue('release-note').textContent()).toBe('选择“其他”时必须填写原因')
    expect(requests.filter((command) => command === 'lane.release')).toHaveLength(0)
    await page.keyboard.press('Escape')
    await poll(() => release.root().count()).toBe(0)
    expect(await focused(page)).toBe(`lane-tile:${target}`)

    // F3: plate correction; an invalid plate is refused inline, nothing sent.
    await page.keyboard.press('F3')
    const correct = new DialogPage(page, 'correct-dialog')
    await correct.root().waitFor()
    await poll(() => focused(page)).toBe('correct-plate')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('ABC')
    await page.keyboard.press('Enter')
    await poll(() => correct.issue('correct-plate').textContent()).toMatch(/车牌号格式不正确/)
    expect(requests.filter((command) => command === 'passage.correctPlate')).toHaveLength(0)
    await page.keyboard.press('Escape')
    await poll(() => correct.root().count()).toBe(0)
    expect(await focused(page)).toBe(`lane-tile:${target}`)

    // F8: the journal's plate filter; Enter jumps to the first row, Enter opens its photos, Esc comes back.
    await page.keyboard.press('F8')
    await poll(() => focused(page)).toBe('filter-plate')
    await page.keyboard.type('A00003')
    await new JournalPage(page).expectPlates(['豫A00003'])
    await page.keyboard.press('Enter')
    expect(await focused(page)).toBe('passage-row')
    await page.keyboard.press('Enter')
    await new DialogPage(page, 'photo-viewer').root().waitFor()
    await page.keyboard.press('Escape')
    await poll(() => focused(page)).toBe('passage-row')
    await screenshot(page, 'ui-keyboard-flow')
    await context.close()
  }, 120_000)
})
