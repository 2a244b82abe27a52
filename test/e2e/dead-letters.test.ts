import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Passage, SyncStatus } from '@shared/contract'
import { setFault } from '../integration/booth'
import { addUser, ApiSession, eventually, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { AdminWorkspacePage, LoginPage, showOnBoard } from './pages'

const password = 'e2e-dead-letter-password'
let sim: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page
let dataDir: string
let api: ApiSession
const admin = { username: 'wang', password: 'e2e-admin-password', role: 'admin' as const, name: '王管理' }

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  dataDir = tempDir('e2e-dead')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`, {
    platform: { baseUrl: `${sim.url}/ysgk`, organ: '4110020001', username: 'gate01', verifyBudgetMs: 300 },
    // The truck decided offline is held for the guard on this barrier-less lane, briefly: its record is then queued.
    laneTiming: { decisionHoldMs: 1_000 }
  })
  await addUser(dataDir, admin)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  api = new ApiSession(host.url)
  await api.login(admin.username, admin.password)
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  })
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  await page.goto(host.url)
  await new LoginPage(page).login(admin.username, admin.password)
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
})

const status = async () => (await api.call('sync.status')).body.result as SyncStatus

describe('an admin corrects a refused upload in the dead-letter panel', () => {
  it('shows the refused field with its reason, takes the correction and the record reaches the platform', async () => {
    await page.getByTestId('lane-tile').first().waitFor()
    await setFault(sim.url, 'down')
    const passage = (await api.call('plate.submit', { laneId: 'in1', plate: '豫A24680', colour: '1' })).body.result as Passage
    await eventually('the worker to back off', async () => ((await status()).paused === 'offline' && (await status()).inFlight === 0) || undefined)
    // The queued record is damaged on disk (as by an older version): pre-flight holds it back, as the platform's
    // format check (952) would refuse it.
    const db = new Database(join(dataDir, 'booth.sqlite'))
    db.pragma('busy_timeout = 5000')
    db.prepare(`UPDATE outbox SET payload = json_set(payload, '$.cpys', '9') WHERE idem_key = ?`).run(passage.lsh)
    db.close()
    await setFault(sim.url, 'none')
    await api.call('sync.now')

    // Failed uploads are an admin's: in the admin workspace, apart from the lane board.
    await new AdminWorkspacePage(page).show('deadLetters')
    const letter = page.getByTestId('dead-letter')
    await letter.waitFor({ timeout: 15_000 })
    expect(await letter.textContent()).toMatch(/cpys/)
    expect(await letter.textContent()).toMatch(/上传前校验未通过/)
    await expect.poll(async () => page.getByTestId('sync-dead').textContent()).toMatch(/上传失败\s*1/)
    await page.screenshot({ path: 'test-results/e2e-dead-letters.png', fullPage: true })

    await letter.locator('input[data-field="cpys"]').fill('1')
    await letter.getByRole('button', { name: '修改并重新上传' }).click()
    await page.getByTestId('dead-letters').waitFor({ state: 'detached', timeout: 15_000 })
    await showOnBoard(page, 'journal')
    await page.locator(`[data-testid="passage-row"][data-lsh="${passage.lsh}"][data-upload="uploaded"]`).waitFor({ timeout: 15_000 })
    const accepted = (await (await fetch(`${sim.url}/__sim/requests?ipctype=shareDrivingRecord`)).json()) as { value: { lsh: string; cpys: string }; reply: { code: string } | null }[]
    expect(accepted.filter((r) => r.value.lsh === passage.lsh && r.reply?.code === '200').map((r) => r.value.cpys)).toEqual(['1'])
  })
})
