import type { ReportFile } from '@shared/contract'

/** Saves bytes from main as a file: a download in the browser, a save dialog in Electron. */
export function saveFile(file: ReportFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (ch) => ch.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
