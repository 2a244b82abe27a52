/**
 * The Electron window's page comes from app://booth/, a privileged custom scheme served from out/renderer, rather than
 * from file://: the page gets a real origin of its own (no file-system reach, no other local file counts as
 * same-origin), the IPC sender check has an origin to compare, and navigation can be pinned to it. Electron-free, so
 * the rules are unit-tested; electron.ts registers the scheme and calls these.
 */
import { resolveStaticPath } from '../core/http/static-path'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://booth`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

const onAppOrigin = (url: URL) => url.protocol === `${APP_SCHEME}:` && url.host === new URL(APP_ORIGIN).host

/** The file of out/renderer an app:// request asks for, or null (another host, a path leaving the folder …). */
export function appRequestFile(requestUrl: string, rendererDir: string): string | null {
  const url = parse(requestUrl)
  if (!url || !onAppOrigin(url)) return null
  return resolveStaticPath(rendererDir, url.pathname)
}

/** The window may only (re)load the app's own page; every other navigation is stopped. */
export function mayNavigate(url: string): boolean {
  const parsed = parse(url)
  return parsed !== null && onAppOrigin(parsed) && (parsed.pathname === '/' || parsed.pathname === '/index.html')
}

/**
 * Whether a link may leave the app for the system browser: https only, no user name or password in it, and its origin
 * on the allow-list (`shell.externalLinks` in the config; empty by default, so nothing leaves).
 */
export function mayOpenExternally(url: string, allowedOrigins: readonly string[]): boolean {
  const parsed = parse(url)
  if (!parsed || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false
  return allowedOrigins.some((allowed) => parse(allowed)?.origin === parsed.origin)
}
