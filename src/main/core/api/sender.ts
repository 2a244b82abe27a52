/**
 * IPC sender check, kept free of Electron so it can be tested: only the main frame of a page on the app's own origin
 * (app://booth, served from out/renderer by the shell) may call the API, never a page that somehow navigated
 * elsewhere, a local file, or an embedded frame.
 */
export function isTrustedSender(senderUrl: string, appOrigin: string, isMainFrame: boolean): boolean {
  if (!isMainFrame) return false
  try {
    const sender = new URL(senderUrl)
    const expected = new URL(appOrigin)
    return sender.protocol === expected.protocol && sender.host === expected.host && sender.username === '' && sender.password === ''
  } catch {
    return false
  }
}
