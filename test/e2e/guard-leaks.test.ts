/**
 * The leak walker: as an admin (who sees every screen), walks the lane board, the journal, the alarms, the audit log,
 * each ledger with its history, the reports and any settings screen present, at 1366×768 and 1920×1080, and fails on
 * anything of the code showing through the Chinese UI: Latin identifiers (lane ids, command names, field codes,
 * English), raw JSON, code values (`1 → 2`, B7 codes such as H11) and ISO/UTC times. A screenshot of each screen
 * lands in test-results/ (ui-leaks-<screen>-<width>.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { postJson, stopProcess } from '../integration/support'
import { DialogPage, LaneBoardPage, launchChromium, LoginPage, poll, screenshot, startDemoHost, type DemoHost } from './pages'

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

/**
 * Every visible text of the page but key caps (F1, Enter: the keys' own names), plates (豫AD00006 is a plate, not a
 * code) and the language switch, as lines; then each line that leaks, with what leaked.
 */
async function leaks(page: Page): Promise<string[]> {
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

/** Screenshots the screen and adds what leaks on it to `found` (all screens are walked before the test fails). */
async function walk(page: Page, screen: string, width: number, found: Record<string, string[]>): Promise<void> {
  await screenshot(page, `ui-leaks-${screen}-${width}`)
  const leaked = await leaks(page)
  if (leaked.length > 0) found[screen] = leaked
}

/** Something on every screen: passages allowed, refused, released by hand and corrected, alarms, audit entries. */
async function seed(page: Page, board: LaneBoardPage): Promise<void> {
  expect((await postJson(`${host.lprUrl}/lpr/in1`, { plate: '豫A00005', colour: '1' })).status).toBe(201)
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
      if (viewport.width === 1366) await seed(page, board)

      const found: Record<string, string[]> = {}
      await walk(page, 'board', viewport.width, found)
      const tabs = await page.locator('[role="tab"][data-testid^="tab-"]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!))
      expect(tabs).toEqual(expect.arrayContaining(['tab-journal', 'tab-alarms', 'tab-audit', 'tab-ledgers', 'tab-reports']))
      for (const tab of tabs) {
        await page.getByTestId(tab).click()
        const screen = tab.slice('tab-'.length)
        if (screen === 'audit') await page.getByTestId('audit-row').first().waitFor()
        if (screen === 'reports') await page.getByTestId('reports-panel').waitFor()
        if (screen === 'ledgers') {
          for (const kind of ['goods', 'vehicles', 'innerVehicles', 'machines']) {
            await page.getByTestId(`ledger-tab-${kind}`).click()
            await page.getByTestId(`ledger-${kind}`).waitFor()
            await walk(page, `ledgers-${kind}`, viewport.width, found)
            if (kind === 'innerVehicles') {
              await page.getByTestId('ledger-innerVehicles').getByTestId('ledger-history').first().click()
              await page.getByTestId('history-row').first().waitFor()
              await walk(page, 'ledgers-history', viewport.width, found)
              await page.keyboard.press('Escape')
              await page.getByTestId('history-dialog').waitFor({ state: 'detached' })
            }
          }
          continue
        }
        await walk(page, screen, viewport.width, found)
      }
      await context.close()
      expect(found).toEqual({})
    })
  }
})
