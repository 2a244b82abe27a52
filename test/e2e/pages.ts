import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { startProcess, stopProcess, tempDir, type RunningProcess } from '../integration/support'

/** Debian's Chromium, headless, with nothing reaching beyond loopback. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required']
  })
}

/** expect.poll with room for a loaded CI machine (scrypt logins, a busy host): behaviour, not speed, is asserted. */
export const poll: typeof expect.poll = (probe, options) => expect.poll(probe, { timeout: 15_000, interval: 50, ...options })

export interface DemoHost {
  process: RunningProcess
  url: string
  /** Where plate cameras push reads: POST {lprUrl}/lpr/{laneId}. */
  lprUrl: string
}

/** The headless host in demo mode (simulated platform, seeded guard/guard123 and admin/admin123). */
export async function startDemoHost(): Promise<DemoHost> {
  const running = await startProcess('host.js', ['--demo', '--data', tempDir('e2e-ui'), '--port', '0', '--lpr-port', '0'], {}, /listening /)
  const lprUrl = /lpr listening (http:\/\/\S+)/.exec(running.output())![1]!
  return { process: running, url: running.url, lprUrl }
}

/** The demo host, Chromium, and a guard logged in on the lane board at 1366×768 (close with `closeGuardBoard`). */
export async function openGuardBoard(): Promise<{ host: DemoHost; browser: Browser; page: Page }> {
  const host = await startDemoHost()
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  page.setDefaultTimeout(15_000)
  await page.goto(host.url)
  await new LoginPage(page).login('guard', 'guard123')
  await new LaneBoardPage(page).waitForBoard()
  return { host, browser, page }
}

export async function closeGuardBoard(host: DemoHost | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close()
  await stopProcess(host?.process)
}

/** A Hikvision ANPR alarm (ISAPI EventNotificationAlert XML) of a yellow plate with the camera's vehicle type. */
export function hikvisionAnprAlert(plate: string, vehicleType = 'truck'): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">` +
    `<dateTime>${new Date().toISOString()}</dateTime><eventType>ANPR</eventType><eventState>active</eventState>` +
    `<ANPR><licensePlate>${plate}</licensePlate><plateColor>yellow</plateColor><confidenceLevel>97</confidenceLevel><vehicleType>${vehicleType}</vehicleType><pictureInfoList>` +
    `<pictureInfo><fileName>licensePlatePicture.jpg</fileName><type>licensePlatePicture</type></pictureInfo>` +
    `<pictureInfo><fileName>detectionPicture.jpg</fileName><type>detectionPicture</type></pictureInfo>` +
    `</pictureInfoList></ANPR></EventNotificationAlert>`
  )
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true })
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true })
}

/** document.activeElement's data-testid (and lane id when it is a tile). */
export function focused(page: Page): Promise<string> {
  // A string: this package's TypeScript has no DOM types; the expression runs in the page.
  return page.evaluate<string>(`(() => {
    const element = document.activeElement
    const testId = element?.getAttribute('data-testid') ?? element?.tagName ?? ''
    const lane = element?.getAttribute('data-lane-id')
    return lane ? testId + ':' + lane : testId
  })()`)
}

export class LoginPage {
  constructor(readonly page: Page) {}

  username = () => this.page.getByTestId('login-username')
  password = () => this.page.getByTestId('login-password')
  error = () => this.page.getByTestId('login-error')

  async login(username: string, password: string): Promise<void> {
    await this.username().fill(username)
    await this.password().fill(password)
    await this.page.getByTestId('login-submit').click()
  }
}

export class LaneBoardPage {
  constructor(readonly page: Page) {}

  board = () => this.page.getByTestId('lane-board')
  tile = (laneId: string) => this.page.locator(`[data-testid="lane-tile"][data-lane-id="${laneId}"]`)
  action = (laneId: string, action: 'release' | 'refuse' | 'correct' | 'recapture') => this.tile(laneId).getByTestId(`action-${action}`)
  onDuty = () => this.page.getByTestId('on-duty')

  async waitForBoard(): Promise<void> {
    await this.tile('in1').waitFor()
  }

  /** Types a plate in 人工登记 for a lane and presses Enter. */
  async enterPlate(laneId: string, plate: string): Promise<void> {
    await this.page.getByTestId('lane-select').selectOption(laneId)
    await this.page.getByTestId('plate-input').first().fill(plate)
    await this.page.getByTestId('plate-input').first().press('Enter')
  }

  async tilePlate(laneId: string): Promise<string | null> {
    return this.tile(laneId).getAttribute('data-plate')
  }
}

export class JournalPage {
  constructor(readonly page: Page) {}

  rows = () => this.page.getByTestId('passage-row')
  row = (plate: string) => this.page.locator(`[data-testid="passage-row"][data-plate="${plate}"]`)
  plateFilter = () => this.page.getByTestId('filter-plate')

  async platesShown(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-plate') ?? ''))
  }

  async decisionsShown(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-decision') ?? ''))
  }

  /** Waits until the table shows exactly these plates (in any order). */
  async expectPlates(plates: string[]): Promise<void> {
    await poll(async () => (await this.platesShown()).sort()).toEqual([...plates].sort())
  }
}

export class DialogPage {
  constructor(
    readonly page: Page,
    readonly testId: string
  ) {}

  root = (): Locator => this.page.getByTestId(this.testId)
  issue = (field: string): Locator => this.root().getByTestId(`issue-${field}`)
  error = (): Locator => this.root().getByTestId('dialog-error')
  submit = () => this.root().getByTestId('dialog-submit').click()
}

export type LedgerKind = 'goods' | 'vehicles' | 'innerVehicles' | 'machines'

/** The 台账 tab: one ledger at a time, its rows named by plate (or machine number) in data-subject. */
export class LedgersPage {
  constructor(readonly page: Page) {}

  ledger = (kind: LedgerKind): Locator => this.page.getByTestId(`ledger-${kind}`)
  row = (kind: LedgerKind, subject: string): Locator => this.ledger(kind).locator(`[data-testid="ledger-row"][data-subject="${subject}"]`)

  async open(kind: LedgerKind): Promise<void> {
    // An admin's ledgers are in the admin workspace; a guard's under the lane board. Wait for the page to show which.
    const toWorkspace = this.page.getByTestId('nav-admin')
    await toWorkspace.or(this.page.getByTestId('nav-board')).or(this.page.getByTestId('tab-ledgers')).first().waitFor()
    if ((await toWorkspace.count()) > 0) await toWorkspace.click()
    await this.page.getByTestId('tab-ledgers').click()
    await this.page.getByTestId(`ledger-tab-${kind}`).click()
    await this.ledger(kind).waitFor()
  }

  /** 新增 (admins only) and the form it opens. */
  async add(kind: LedgerKind, dialogTestId: string): Promise<DialogPage> {
    await this.ledger(kind).getByTestId('ledger-add').click()
    const dialog = new DialogPage(this.page, dialogTestId)
    await dialog.root().waitFor()
    return dialog
  }

  /** Waits until the row's latest change is shown as reached the platform (已上传). */
  async expectUploaded(kind: LedgerKind, subject: string): Promise<void> {
    const row = this.row(kind, subject)
    await poll(() => row.getAttribute('data-upload')).toBe('uploaded')
    expect(await row.getByText('已上传').count()).toBe(1)
  }
}

/** Shows a screen of the lane board (from the admin workspace too). */
export async function showOnBoard(page: Page, tab: 'journal' | 'alarms' | 'audit' | 'reports' | 'ledgers'): Promise<void> {
  if ((await page.getByTestId('nav-board').count()) > 0) await page.getByTestId('nav-board').click()
  await page.getByTestId(`tab-${tab}`).click()
}

/** The admin workspace (#/admin): its own page beside the lane board, reached from the header. */
export class AdminWorkspacePage {
  constructor(readonly page: Page) {}

  root = (): Locator => this.page.getByTestId('admin-workspace')

  async open(): Promise<void> {
    if ((await this.root().count()) === 0) await this.page.getByTestId('nav-admin').click()
    await this.root().waitFor()
  }

  /** Opens a screen of the workspace by its tab. */
  async show(tab: 'ledgers' | 'reports' | 'audit' | 'deadLetters' | 'alarmHistory' | 'settings'): Promise<void> {
    await this.open()
    await this.page.getByTestId(`tab-${tab}`).click()
  }

  async openSettings(): Promise<void> {
    await this.show('settings')
    await this.page.getByTestId('settings-panel').waitFor()
  }
}

/**
 * Every visible text of the page but key caps (F1, Enter: the keys' own names), plates (豫AD00006 is a plate, not a
 * code) and the language switch, as lines; then each line that leaks, with what leaked.
 */
export async function leaks(page: Page): Promise<string[]> {
  const lines = await page.evaluate<string[]>(`(() => {
    const skip = 'kbd, .plate, [data-testid="language"], [data-testid="live-view-slot"], script, style, noscript'
    const out = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement
      if (!element || element.closest(skip)) continue
      const style = getComputedStyle(element)
      if (style.display === 'none' || style.visibility === 'hidden' || element.getClientRects().length === 0) continue
      const text = node.textContent.trim()
      if (text) out.push(text)
    }
    for (const element of document.querySelectorAll('[title]')) {
      if (element.closest(skip) || element.getClientRects().length === 0) continue
      const title = element.getAttribute('title').trim()
      if (title) out.push('〔提示〕' + title)
    }
    return out
  })()`)
  const found: string[] = []
  for (const line of lines) {
    const problem = leakIn(line)
    if (problem) found.push(`${problem}: ${line}`)
  }
  return [...new Set(found)]
}

/** Words a Chinese UI may carry: product and file-format names, key names in hints. */
const ALLOWED = /\b(Excel|PDF|LED|VIN|Tab|Alt|Enter|Esc|English|JPEG|PNG|xlsx)\b/g
const PLATE = /[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[挂学警港澳]?/g
/** A vehicle identification number is the vehicle's own (ISO 3779), shown as it is. */
const VIN = /\b[A-HJ-NPR-Z0-9]{17}\b/g

export function leakIn(line: string): string | null {
  if (/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(line) || /\bUTC\b|\d{2}Z\b/.test(line)) return 'ISO/UTC time'
  if (/[{[]\s*"[^"]*"\s*:/.test(line)) return 'raw JSON'
  if (/(^|[^\d])\d{1,2}\s*→\s*\d{1,2}([^\d]|$)/.test(line)) return 'code values'
  const rest = line.replace(PLATE, '').replace(VIN, '').replace(ALLOWED, '')
  if (/\b[A-Z]\d{2}\b/.test(rest)) return 'B7 code'
  if (/[A-Za-z]{2,}/.test(rest)) return 'Latin'
  return null
}
