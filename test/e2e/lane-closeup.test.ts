import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { closeGuardBoard, type DemoHost, DialogPage, hikvisionAnprAlert, JournalPage, LaneBoardPage, leaks, openGuardBoard, poll, screenshot, showOnBoard } from './pages'

/**
 * A Hikvision ANPR alarm (multipart: the alert XML, the plate close-up and the scene) pushed to the demo host: the
 * tile shows the scene with the close-up across its foot, and both open the large view; the camera's vehicle type
 * shows on the tile, on the card of a truck held for the guard, and in the journal (its 车型 column, filter and the
 * passage's large view).
 */
let host: DemoHost
let browser: Browser
let page: Page

beforeAll(async () => {
  ;({ host, browser, page } = await openGuardBoard())
})
afterAll(() => closeGuardBoard(host, browser))

describe('plate close-up on the lane tile', () => {
  it('shows the camera close-up over the scene photo, and the large view holds both', async () => {
    const scene = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#3a6ea5' } }).jpeg().toBuffer()
    const closeUp = await sharp({ create: { width: 220, height: 64, channels: 3, background: '#d8a200' } }).jpeg().toBuffer()
    const boundary = 'MIME_boundary'
    const part = (name: string, type: string, body: Buffer) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), body, Buffer.from('\r\n')]
    const body = Buffer.concat([
      ...part('anpr.xml', 'application/xml', Buffer.from(hikvisionAnprAlert('豫A00005'))),
      ...part('licensePlatePicture.jpg', 'image/jpeg', closeUp),
      ...part('detectionPicture.jpg', 'image/jpeg', scene),
      Buffer.from(`--${boundary}--\r\n`)
    ])
    const pushed = await fetch(`${host.lprUrl}/lpr/out1`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body })
    expect(pushed.status).toBeLessThan(300)

    const tile = new LaneBoardPage(page).tile('out1')
    const closeUpShown = tile.getByTestId('lane-closeup')
    await closeUpShown.waitFor()
    await poll(() => closeUpShown.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(220)
    expect(await tile.getByTestId('lane-photo').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBe(640)
    expect(await closeUpShown.getAttribute('alt')).toBe('车牌特写')
    // The camera's vehicle type ("truck"), in the guard's words.
    expect(await tile.getByTestId('vehicle-class').textContent()).toBe('车型：货车')
    await screenshot(page, 'e2e-lane-closeup')

    await tile.getByTestId('lane-photo-open').click()
    const viewer = new DialogPage(page, 'photo-viewer')
    await poll(() => viewer.root().getByTestId('passage-photo').count()).toBe(2)
    expect(await viewer.root().locator('figcaption').allTextContents()).toEqual([expect.stringContaining('前照'), expect.stringContaining('车牌特写')])
  })

  it('a refused truck held for the guard: the attention card names the camera’s vehicle type', async () => {
    const pushed = await fetch(`${host.lprUrl}/lpr/in1`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: hikvisionAnprAlert('豫A00003', 'mediumHeavyTruck') })
    expect(pushed.status).toBeLessThan(300)
    const card = page.getByTestId('attention')
    await poll(() => card.getAttribute('data-plate')).toBe('豫A00003')
    expect(await card.getByTestId('vehicle-class').textContent()).toBe('车型：大型货车')
  })

  it('the journal shows each truck’s 车型 in Chinese, filters by it, and the passage’s large view names it', async () => {
    const viewer = new DialogPage(page, 'photo-viewer')
    if ((await viewer.root().count()) > 0) {
      await page.keyboard.press('Escape')
      await viewer.root().waitFor({ state: 'detached' })
    }
    await showOnBoard(page, 'journal')
    const journal = new JournalPage(page)
    const classOf = (plate: string) => journal.row(plate).getByTestId('passage-vehicle-class').textContent()
    await poll(() => classOf('豫A00005')).toBe('货车')
    await poll(() => classOf('豫A00003')).toBe('大型货车')

    const filter = page.getByTestId('filter-vehicle-class')
    await filter.selectOption('large_truck')
    expect(await filter.locator('option:checked').textContent()).toBe('大型货车')
    await journal.expectPlates(['豫A00003'])
    expect(await leaks(page)).toEqual([])
    await screenshot(page, 'e2e-journal-vehicle-class')

    // The row opens its large view by keyboard (the attention card may sit over the board's corner).
    await journal.row('豫A00003').focus()
    await page.keyboard.press('Enter')
    await viewer.root().waitFor()
    expect(await viewer.root().getByTestId('vehicle-class').textContent()).toBe('车型：大型货车')
    await page.keyboard.press('Escape')
    await viewer.root().waitFor({ state: 'detached' })
    await page.getByTestId('filter-clear').click()
    await poll(async () => (await journal.platesShown()).length).toBeGreaterThanOrEqual(2)
  })
})
