import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { parseLsh } from '@shared/spec'
import { addUser, eventually, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { launchChromium, LoginPage } from './pages'

const password = 'e2e-password'
let sim: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01', '--demo-vehicles'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  const dataDir = tempDir('e2e')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`)
  await addUser(dataDir, { username: 'wang', password: 'wang-password', role: 'guard', name: '王师傅' })
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  await page.goto(host.url)
  await new LoginPage(page).login('wang', 'wang-password')
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
})

describe('guard types a plate in the lane view', () => {
  it('shows the passage as uploaded, and the platform holds its shareDrivingRecord with an A6.4 serial number', async () => {
    await page.getByTestId('lane-tile').first().waitFor()
    const before = Date.now()
    await page.getByTestId('lane-select').selectOption('in1')
    await page.getByTestId('colour-select').selectOption('1')
    await page.getByTestId('plate-input').fill('豫a13579')
    await page.getByTestId('plate-input').press('Enter')

    const row = page.locator('[data-testid="passage-row"][data-plate="豫A13579"]')
    await row.waitFor()
    await page.locator('[data-testid="passage-row"][data-plate="豫A13579"][data-upload="uploaded"]').waitFor({ timeout: 15_000 })
    const after = Date.now()
    expect(await row.getAttribute('data-decision')).toBe('allow')
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('plate-input')

    const lsh = (await row.getAttribute('data-lsh'))!
    const parsed = parseLsh(lsh)
    expect(parsed).toMatchObject({ enterpriseCode: '4110020001', gateCode: '01', direction: 'in' })
    // yyMMddHHmmss has whole seconds: the stamp lies within the second-rounded submit window.
    expect(parsed!.at.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(parsed!.at.getTime()).toBeLessThanOrEqual(after)

    const records = await eventually('the simulator to hold the record', async () => {
      const response = await fetch(`${sim.url}/__sim/requests?ipctype=shareDrivingRecord`)
      const all = (await response.json()) as { value: Record<string, string>; reply: { code: string } }[]
      const mine = all.filter((r) => r.value.lsh === lsh && r.reply.code === '200')
      return mine.length > 0 ? mine : undefined
    })
    expect(records).toHaveLength(1)
    expect(records[0]!.value).toMatchObject({ cphm: '豫A13579', cpys: '1', dzbh: '01', tgzt: '1', bgzt: '1' })

    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/e2e-lane-board.png', fullPage: true })
  })

  it('shows an inline error for an invalid plate and sends nothing', async () => {
    const countRows = () => page.getByTestId('passage-row').count()
    const rowsBefore = await countRows()
    await page.getByTestId('plate-input').fill('ABC')
    await page.getByTestId('submit-plate').click()
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/车牌号格式不正确/)
    expect(await countRows()).toBe(rowsBefore)
  })
})
