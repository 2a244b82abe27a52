import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { durationMs } from '../../src/main/booth/video'
import { addUser, loggedIn, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { NVR_PASSWORD, NVR_USER, startSimNvr, stopSimNvr, type SimNvr } from '../integration/nvr-support'
import { exportedPassageRows, readStoredZip } from '../integration/zip-reader'
import { AdminWorkspacePage, DialogPage, launchChromium, LaneBoardPage, LoginPage, poll, screenshot } from './pages'

/**
 * An admin in Chromium opens a refused truck's passage, plays the clip the booth fetched from the NVR simulator, and
 * exports the day's passages with their clips. The clip runs from 27 s before the read to 3 s after, so it can be
 * fetched a few seconds after the truck.
 */
const password = 'video-e2e-password'
const ADMIN = { username: 'chief', password: 'chief-pass-1', role: 'admin' as const, name: '李主管' }
let platform: RunningProcess
let nvr: SimNvr
let host: RunningProcess
let browser: Browser
let page: Page
let lsh: string

beforeAll(async () => {
  ;[platform, nvr] = await Promise.all([
    startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01', '--demo-vehicles'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /),
    startSimNvr({ retainHours: 1 })
  ])
  const dataDir = tempDir('video-e2e')
  const config = writeBoothConfig(dataDir, `${platform.url}/ysgk`, {
    lanes: [
      { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in', nvr: [{ name: '1号录像机', kind: 'hikvision-isapi', url: nvr.url, channel: '101', username: NVR_USER, passwordEnv: 'E2E_NVR_PASSWORD' }] },
      { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
    ],
    laneTiming: { decisionHoldMs: 1_000 },
    video: { preSeconds: 27, postSeconds: 3, fetchDelaySeconds: 0, minBackoffMs: 300, maxBackoffMs: 1_000 }
  })
  await addUser(dataDir, ADMIN)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password, E2E_NVR_PASSWORD: NVR_PASSWORD }, /listening /)
  const api = await loggedIn(host.url, ADMIN)
  const refused = await api.call('plate.submit', { laneId: 'in1', plate: '豫A00003', colour: '1' })
  expect(refused.body.result).toMatchObject({ decision: 'refuse' })
  lsh = refused.body.result.lsh
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  await page.goto(host.url)
  await new LoginPage(page).login(ADMIN.username, ADMIN.password)
  await new LaneBoardPage(page).waitForBoard()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopSimNvr(nvr)
  await stopProcess(platform)
})

describe('video evidence in the browser', () => {
  it('an admin opens the refused passage and plays its clip', async () => {
    await page.getByTestId('tab-journal').click()
    await page.locator(`[data-testid="passage-row"][data-lsh="${lsh}"]`).click()
    const viewer = new DialogPage(page, 'photo-viewer')
    await viewer.root().waitFor()
    const clip = viewer.root().locator('[data-testid="passage-clip"][data-state="stored"]')
    await clip.waitFor({ timeout: 20_000 })
    expect(await clip.innerText()).toMatch(/1号录像机.*已保存.*拒绝通行/s)
    await viewer.root().getByTestId('clip-play').click()
    await viewer.root().getByTestId('clip-video').waitFor()
    // Decoded enough to show a frame, and playing: its clock moves.
    const property = (name: string) => page.evaluate<number>(`document.querySelector('[data-testid="clip-video"]').${name}`)
    await poll(() => property('readyState')).toBeGreaterThanOrEqual(2)
    await poll(() => property('currentTime')).toBeGreaterThan(0.5)
    expect(Math.round(await property('duration'))).toBe(30)
    await screenshot(page, 'video-clip-player')
    await page.keyboard.press('Escape')
    await viewer.root().waitFor({ state: 'detached' })
  })

  it('exports the day with its clips: the workbook names each clip by lsh, the ZIP holds the MP4', async () => {
    await new AdminWorkspacePage(page).show('reports')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('video-export').click()])
    const dir = mkdtempSync(join(tmpdir(), 'gate-video-export-'))
    const zipFile = join(dir, download.suggestedFilename())
    await download.saveAs(zipFile)
    expect(download.suggestedFilename()).toMatch(/^通行记录与录像_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.zip$/)
    const entries = readStoredZip(readFileSync(zipFile))
    const clipName = `录像/${lsh}.mp4`
    expect([...entries.keys()]).toContain(clipName)
    const mp4 = join(dir, `${lsh}.mp4`)
    writeFileSync(mp4, entries.get(clipName)!)
    expect(Math.abs((await durationMs(mp4)) - 30_000)).toBeLessThanOrEqual(1_000)

    const rows = await exportedPassageRows(readFileSync(zipFile))
    expect(rows[0]).toEqual(expect.arrayContaining(['车型', '录像文件', '抬杆方式']))
    const row = rows.find((values) => values.includes(lsh))!
    expect(row).toEqual(expect.arrayContaining(['豫A00003', '禁止通行', '未抬杆', `${lsh}.mp4`, '已保存']))
  })
})
