/**
 * The guard UI: how big the built renderer is (raw and gzip), and how long Chromium takes from navigation to the
 * first painted lane board (logged in, demo host), beside loading a blank static page from the same host: with the
 * assets in the browser cache, and with an empty cache (a fresh browser context per load, as on a booth PC's first
 * start or after an update), the two kinds of load alternating so both see the same machine load. Needs `npm run build` (npm run bench does it).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BrowserContext, Page } from 'playwright-core'
import { launchChromium, startDemoHost } from '../test/e2e/pages'
import { ApiSession, stopProcess } from '../test/integration/support'
import { heading, report, summarize } from './support'

const LOADS = 12
const WARMUP = 2
const assetsDir = join(import.meta.dirname, '../out/renderer/assets')

function bundleSizes(): { file: string; bytes: number; gzip: number }[] {
  return readdirSync(assetsDir)
    .filter((file) => file.endsWith('.js') || file.endsWith('.css'))
    .map((file) => {
      const content = readFileSync(join(assetsDir, file))
      return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length }
    })
}

/** Milliseconds from navigation start until the page is `ready` (the page's CSP forbids string predicates). */
async function timeLoads(context: BrowserContext, url: string, ready: (page: Page) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < WARMUP + LOADS; i++) {
    const page = await context.newPage()
    const start = performance.now()
    await page.goto(url, { waitUntil: 'commit' })
    await ready(page)
    const elapsed = performance.now() - start
    if (i >= WARMUP) samples.push(elapsed)
    await page.close()
  }
  return samples
}

/**
 * Empty cache: each load in a new browser context (its own empty cache) with the session cookie, alternating between
 * the blank page and the lane board. Returns [blank, board] samples in milliseconds.
 */
async function timeColdLoads(
  newContext: () => Promise<BrowserContext>,
  blankUrl: string,
  boardUrl: string
): Promise<[number[], number[]]> {
  const blank: number[] = []
  const board: number[] = []
  for (let i = 0; i < WARMUP + LOADS; i++) {
    for (const [url, ready, samples] of [
      [blankUrl, (page: Page) => page.waitForLoadState('load'), blank],
      [boardUrl, (page: Page) => page.getByTestId('lane-tile').first().waitFor({ state: 'visible' }), board]
    ] as const) {
      const context = await newContext()
      const page = await context.newPage()
      const start = performance.now()
      await page.goto(url, { waitUntil: 'commit' })
      await ready(page)
      const elapsed = performance.now() - start
      if (i >= WARMUP) samples.push(elapsed)
      await context.close()
    }
  }
  return [blank, board]
}

async function main(): Promise<void> {
  heading('renderer bundle (out/renderer/assets)')
  const sizes = bundleSizes()
  for (const { file, bytes, gzip } of sizes) console.log(`${file.padEnd(40)} ${String(bytes).padStart(9)} B   gzip ${String(gzip).padStart(8)} B`)
  const total = sizes.reduce((sum, size) => ({ bytes: sum.bytes + size.bytes, gzip: sum.gzip + size.gzip }), { bytes: 0, gzip: 0 })
  console.log(`${'total'.padEnd(40)} ${String(total.bytes).padStart(9)} B   gzip ${String(total.gzip).padStart(8)} B`)

  const host = await startDemoHost()
  const browser = await launchChromium()
  try {
    const session = new ApiSession(host.url)
    await session.login('guard', 'guard123')
    const [name, value] = session.cookie!.split('=') as [string, string]
    const newContext = async () => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
      await context.addCookies([{ name, value, url: host.url }])
      return context
    }
    const context = await newContext()

    heading(`first lane-board paint in Chromium (${LOADS} loads after ${WARMUP} warm-up, logged in, assets cached)`)
    const cssAsset = sizes.find((size) => size.file.endsWith('.css'))!.file
    const blank = summarize(await timeLoads(context, `${host.url}/assets/${cssAsset}`, (page) => page.waitForLoadState('load')))
    report('blank static page from the same host', blank, undefined, 'ms')
    const board = summarize(await timeLoads(context, host.url, (page) => page.getByTestId('lane-tile').first().waitFor({ state: 'visible' })))
    report('lane board painted', board, blank, 'ms')

    heading(`first lane-board paint with an empty cache (${LOADS} loads each, a fresh browser context per load)`)
    const [coldBlank, coldBoard] = await timeColdLoads(newContext, `${host.url}/assets/${cssAsset}`, host.url)
    const coldBaseline = summarize(coldBlank)
    report('blank static page, empty cache', coldBaseline, undefined, 'ms')
    report('lane board painted, empty cache', summarize(coldBoard), coldBaseline, 'ms')
  } finally {
    await browser.close()
    await stopProcess(host.process)
  }
}

await main()
