import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { ApiFailure } from '../api/errors'

/**
 * Turns a self-contained HTML page into PDF bytes. The Electron shell prints with webContents.printToPDF; the
 * headless host with a browser it keeps warm (`warm` starts it ahead of the first report, `close` ends it).
 */
export interface PdfPrinter {
  (html: string): Promise<Buffer>
  warm?(): void
  close?(): void
}

/** Where a Chromium-family browser usually is, for the headless host (the booth PC has Edge on Windows). */
export function defaultBrowserPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'
  if (platform === 'darwin') return '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
  return '/usr/bin/chromium'
}

export class PdfError extends ApiFailure {
  override name = 'PdfError'
  constructor(message: string) {
    super('unavailable', message)
  }
}

/**
 * The headless host's printer: one Chromium-family browser, started once and kept (a launch per report took 5–14 s),
 * driven over the DevTools protocol on a private pipe (`--remote-debugging-pipe`: no port any other process could
 * reach). Each report is a fresh tab printing a file from a private temp folder; nothing leaves the machine. A
 * browser that died is started again for the next report.
 */
export function browserPdfPrinter(browserPath: string, timeoutMs = 60_000): PdfPrinter {
  let browser: Promise<DevToolsBrowser> | null = null
  const started = (): Promise<DevToolsBrowser> => {
    browser ??= DevToolsBrowser.launch(browserPath).then(
      (launched) => {
        launched.onExit(() => (browser = null))
        return launched
      },
      (error: unknown) => {
        browser = null
        throw error
      }
    )
    return browser
  }
  const print = async (html: string): Promise<Buffer> => {
    const running = await started()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        running.close()
        reject(new PdfError(`PDF 生成失败（${browserPath}）：${timeoutMs / 1000} 秒内未完成`))
      }, timeoutMs)
    })
    try {
      const bytes = await Promise.race([running.print(html), timeout])
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfError('PDF 生成失败：输出不是 PDF 文件')
      return bytes
    } finally {
      clearTimeout(timer)
    }
  }
  return Object.assign(print, {
    warm: () => void started().catch(() => undefined),
    close: () => {
      const closing = browser
      browser = null
      void closing?.then((running) => running.close(), () => undefined)
    }
  })
}

interface Pending {
  resolve(result: Record<string, unknown>): void
  reject(error: Error): void
}

/** A headless browser spoken to over the DevTools protocol on fds 3 (to it) and 4 (from it), NUL-separated JSON. */
class DevToolsBrowser {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Set<(message: { method: string; sessionId?: string }) => void>()
  private readonly exitListeners: (() => void)[] = []
  private received = ''
  private stderr = ''
  private exited = false
  private nextPage = 1

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly browserPath: string
  ) {
    const input = child.stdio[3] as Writable
    const output = child.stdio[4] as Readable
    input.on('error', () => undefined)
    output.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2_000)))
    child.on('error', (error) => this.ended(error.message))
    child.on('exit', (code, signal) => this.ended(`浏览器已退出（${signal ?? code}）`))
  }

  static async launch(browserPath: string): Promise<DevToolsBrowser> {
    const dir = mkdtempSync(join(tmpdir(), 'gate-report-'))
    const args = ['--headless', '--disable-gpu', '--no-sandbox', '--disable-background-networking', '--no-first-run', '--remote-debugging-pipe', `--user-data-dir=${join(dir, 'profile')}`, 'about:blank']
    const child = spawn(browserPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] })
    const browser = new DevToolsBrowser(child, dir, browserPath)
    await browser.send('Browser.getVersion')
    return browser
  }

  onExit(listener: () => void): void {
    this.exitListeners.push(listener)
  }

  async print(html: string): Promise<Buffer> {
    const file = join(this.dir, `report-${this.nextPage++}.html`)
    writeFileSync(file, html)
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string }
    try {
      const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }
      await this.send('Page.enable', {}, sessionId)
      const loaded = this.next('Page.loadEventFired', sessionId)
      await this.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId)
      await loaded
      const { data } = (await this.send('Page.printToPDF', { printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false }, sessionId)) as { data: string }
      return Buffer.from(data, 'base64')
    } finally {
      void this.send('Target.closeTarget', { targetId }).catch(() => undefined)
      rmSync(file, { force: true })
    }
  }

  /** Ends the browser; its folder goes once it has exited (it writes there until then). */
  close(): void {
    if (!this.exited) this.child.kill()
  }

  private send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.failure('浏览器未运行'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      ;(this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })
  }

  /** The next event `method` of the session. */
  private next(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (message: { method: string; sessionId?: string }) => {
        if (message.method !== method || message.sessionId !== sessionId) return
        this.listeners.delete(listener)
        resolve()
      }
      this.listeners.add(listener)
    })
  }

  private receive(text: string): void {
    this.received += text
    let end: number
    while ((end = this.received.indexOf('\0')) >= 0) {
      const raw = this.received.slice(0, end)
      this.received = this.received.slice(end + 1)
      const message = JSON.parse(raw) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; sessionId?: string }
      if (message.id !== undefined) {
        const pending = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.error) pending?.reject(this.failure(message.error.message))
        else pending?.resolve(message.result ?? {})
      } else if (message.method) {
        for (const listener of [...this.listeners]) listener({ method: message.method, sessionId: message.sessionId })
      }
    }
  }

  private ended(why: string): void {
    if (this.exited) return
    this.exited = true
    for (const pending of this.pending.values()) pending.reject(this.failure(why))
    this.pending.clear()
    this.exitListeners.forEach((listener) => listener())
    try {
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 })
    } catch {
      // A leftover temp folder is harmless; the next start uses a new one.
    }
  }

  private failure(why: string): PdfError {
    const detail = this.stderr.split('\n').find((line) => line.trim() !== '') ?? ''
    return new PdfError(`PDF 生成失败（${this.browserPath}）：${why}${detail ? ` ${detail}` : ''}`.trim())
  }
}
