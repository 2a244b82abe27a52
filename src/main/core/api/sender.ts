/**
 * IPC sender check, kept free of Electron so it can be tested: only the app's own renderer page (loaded from
 * out/renderer/index.html) may call the API, never a page that somehow navigated elsewhere or an embedded frame.
 */
export function isTrustedSender(senderUrl: string, rendererIndexUrl: string, isMainFrame: boolean): boolean {
  if (!isMainFrame) return false
  try {
    const sender = new URL(senderUrl)
    const expected = new URL(rendererIndexUrl)
    return sender.protocol === expected.protocol && sender.host === expected.host && sender.pathname === expected.pathname
  } catch {
    return false
  }
}
