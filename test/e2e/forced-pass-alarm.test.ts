import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { closeGuardBoard, type DemoHost, openGuardBoard, poll, screenshot } from './pages'

/**
 * 闯岗 on the demo host: a vehicle crosses the loop of 1号入口 with the arm down (the demo barrier simulator's control
 * endpoint). The guard's board raises the alarm with the camera's photo beside it and sounds the siren.
 */
let host: DemoHost
let browser: Browser
let page: Page

beforeAll(async () => {
  ;({ host, browser, page } = await openGuardBoard())
})
afterAll(() => closeGuardBoard(host, browser))

describe('闯岗', () => {
  it('raises the alarm with its photo and sounds it', async () => {
    const controls = /demo devices in1 (\{.*\})/.exec(host.process.output())
    expect(controls, 'the demo host names its device simulators').not.toBeNull()
    const barrier = (JSON.parse(controls![1]!) as { barrier: string }).barrier
    // The camera answers first: the forced pass is photographed.
    await poll(async () => (await fetch(`${host.url}/health?format=json`)).ok).toBe(true)
    await page.getByTestId('tab-alarms').click()
    const panel = page.getByTestId('alarms-panel')
    expect(await panel.getAttribute('data-forced-pass-alerts')).toBe('0')

    const pushed = await fetch(`${barrier}/force-pass`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(pushed.status).toBe(200)

    const alarm = page.locator('[data-testid="alarm"][data-kind="forced_pass"]').first()
    await alarm.waitFor()
    await poll(() => panel.getAttribute('data-forced-pass-alerts')).toBe('1')
    const photo = alarm.getByTestId('alarm-photo')
    await photo.waitFor()
    expect(await photo.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
    expect(await photo.getAttribute('alt')).toBe('闯岗照片')
    await screenshot(page, 'e2e-forced-pass-alarm')
  })
})
