import { readFileSync } from 'node:fs'
import { get } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import ExcelJS from 'exceljs'
import { addUser, DEMO_GUARD, loggedIn, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { LaneBoardPage, LoginPage } from './pages'

const password = 'ops-e2e-password'
let sim: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page
const cspViolations: string[] = []

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01', '--demo-vehicles'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  // host.host left out: the default must be loopback.
  const dataDir = tempDir('ops-e2e')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`, { host: { port: 0 } })
  await addUser(dataDir, DEMO_GUARD)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  })
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text())
  })
  await page.goto(host.url)
  await new LoginPage(page).login(DEMO_GUARD.username, DEMO_GUARD.password)
  await new LaneBoardPage(page).waitForBoard()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
})

describe('the headless host', () => {
  it('listens on 127.0.0.1 unless configured otherwise', () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1')
  })

  it('serves /health as JSON and as a page, under the strict CSP', async () => {
    const json = await fetch(`${host.url}/health?format=json`)
    const report = (await json.json()) as Record<string, any>
    expect(report).toMatchObject({ version: expect.any(String), db: { ok: true }, outbox: { pending: expect.any(Number), dead: 0 }, devices: [] })
    expect(report.disk.totalBytes).toBeGreaterThan(0)
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0)
    const html = await fetch(`${host.url}/health`)
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await html.text()).toContain('运行状态')
  })

  it('serves the built renderer, and refuses a path that climbs out of it however it is encoded', async () => {
    const status = (path: string) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port: Number(new URL(host.url).port), path }, (response) => {
          response.resume()
          resolve(response.statusCode!)
        }).on('error', reject)
      })
    expect(await status('/')).toBe(200)
    for (const path of ['/assets/..%2f..%2fmain%2fhost.js', '/..%5c..%5cpackage.json', '/%2e%2e%2f%2e%2e%2fpackage.json', '/index.html%00']) {
      expect(await status(path), path).toBe(403)
    }
    // A malformed escape is a bad request on every port, before any path is resolved.
    expect(await status('/%E0%A4%A')).toBe(400)
  })
})

describe('reports page in Chromium', () => {
  it('renders antd and the chart under the CSP, counts a new passage, and exports Excel and PDF', async () => {
    const guard = await loggedIn(host.url)
    const submitted = await guard.call('plate.submit', { laneId: 'in1', plate: '豫A13579', colour: '1' })
    expect(submitted.status).toBe(200)
    await page.getByTestId('tab-reports').click()
    const panel = page.getByTestId('reports-panel')
    await panel.waitFor()
    await page.getByTestId('reports-query').click()
    await expect.poll(() => page.getByTestId('reports-total').innerText(), { timeout: 10_000 }).toMatch(/合计\s+1\s+1\s+0\s+1/)
    expect(await page.locator('[data-testid="reports-chart"] canvas').count()).toBeGreaterThan(0)
    // antd's CSS-in-JS styles applied: the card has its border radius from injected <style> elements.
    expect(await page.locator('.ant-card').first().evaluate("getComputedStyle(document.querySelector('.ant-card')).borderRadius")).not.toBe('0px')

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-export-xlsx').click()])
    expect(xlsxDownload.suggestedFilename()).toMatch(/^统计_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(readFileSync((await xlsxDownload.path())!) as unknown as ArrayBuffer)
    expect(workbook.getWorksheet('每日统计')!.getRow(2).values).toContain('vehTotal')

    const [pdfDownload] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('reports-export-pdf').click()])
    expect(readFileSync((await pdfDownload.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(cspViolations).toEqual([])
  }, 120_000)
})

describe('a session that ends while a screen is open', () => {
  it('sends the guard back to the login page from the reports screen (its calls go through the session wrapper)', async () => {
    await page.getByTestId('tab-reports').click()
    await page.getByTestId('reports-panel').waitFor()
    // The host ends this browser's session, as an idle timeout would: the cookie travels with the page's own requests.
    const logout = await page.request.post(`${host.url}/api/auth.logout`, { data: {} })
    expect(logout.status()).toBe(200)
    await page.getByTestId('reports-query').click()
    await page.getByTestId('login-username').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('reports-panel').count()).toBe(0)
  })
})
