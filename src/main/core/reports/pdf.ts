import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ApiFailure } from '../api/errors'

/** Turns a self-contained HTML page into PDF bytes. The Electron shell prints with webContents.printToPDF. */
export type PdfPrinter = (html: string) => Promise<Buffer>

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
 * The headless host's printer: the page goes to a private temp folder and a Chromium-family browser prints it
 * (`--headless --print-to-pdf`), the same engine Electron's printToPDF uses; nothing leaves the machine.
 */
export function browserPdfPrinter(browserPath: string, timeoutMs = 60_000): PdfPrinter {
  return async (html) => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-report-'))
    try {
      const page = join(dir, 'report.html')
      const out = join(dir, 'report.pdf')
      writeFileSync(page, html)
      const args = [
        '--headless',
        '--disable-gpu',
        '--no-sandbox',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${out}`,
        pathToFileURL(page).href
      ]
      await new Promise<void>((resolve, reject) => {
        execFile(browserPath, args, { timeout: timeoutMs }, (error, _stdout, stderr) => {
          if (error) reject(new PdfError(`PDF 生成失败（${browserPath}）：${error.message.split('\n')[0]} ${stderr.split('\n')[0] ?? ''}`.trim()))
          else resolve()
        })
      })
      const bytes = readFileSync(out)
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfError('PDF 生成失败：输出不是 PDF 文件')
      return bytes
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
