import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { extname, join } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { commands, isCommandName, wire } from '@shared/contract'
import { healthHtml, type HealthReport } from '../health'
import type { SessionStore } from '../auth/sessions'
import { hostHeaderAllowed } from '../http/address'
import { BodyBudget, BodyError, decodeUrlPart, discardBody, LargeText, listen, readJsonBody, requestUrl, sendJson, type JsonLimits } from '../http/body'
import { resolveStaticPath } from '../http/static-path'
import type { EventBus } from './events'
import type { Router } from './router'
import { sessionContext } from './session-binding'

export interface HttpHost {
  url: string
  port: number
  close(): Promise<void>
}

export interface HttpHostOptions {
  host: string
  port: number
  router: Router
  events: EventBus
  /** The built renderer (out/renderer); the host serves it at / (absent: the API alone) */
  rendererDir?: string | undefined
  /** GET /health: JSON (?format=json or Accept: application/json) or a small HTML page. */
  health?: () => Promise<HealthReport>
  /** Who may read /health, by the caller's address (absent: whoever reaches the host; a booth's is on loopback). */
  healthFrom?: (remoteAddress: string) => boolean
  /** Logged-in sessions; the browser holds its token in an HttpOnly cookie. */
  sessions: SessionStore
  /** HTTPS with this key and certificate (the plant, on the LAN); the session cookie is then also `Secure`. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /**
   * Requests under `prefix` go to `handle` before any check of this host's (the plant's booths' uplink on the same port:
   * it authenticates each booth by its own credential).
   */
  passThrough?: { prefix: string; handle: (request: IncomingMessage, response: ServerResponse) => Promise<void> }
}

export const SESSION_COOKIE = 'gate_session'

/** An API call is a form or a command; the largest are ledger images and imported workbooks. */
const API_BODY: JsonLimits = { maxBytes: 1024 * 1024, maxDepth: 32, maxItems: 50_000 }
/** Strings at least this long in a command with its own body limit (images) are read apart from JSON.parse. */
const API_LARGE_STRING_BYTES = 64 * 1024
/** Request bodies held at once: a burst of large calls cannot take more memory than this (two image forms). */
const API_BODY_BUDGET = 72 * 1024 * 1024
/** More unsent bytes than this on a WebSocket and the next camera frame is skipped for it. */
const FRAME_BACKLOG_BYTES = 256 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav'
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    // antd's CSS-in-JS inserts <style> elements, hence 'unsafe-inline' for styles only; scripts stay 'self'.
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer'
}

/**
 * The headless host: the same contract as the Electron IPC, over HTTP (POST /api/<command>) and a WebSocket of
 * events (/api/events), plus the built renderer. Requests from another origin are refused, so a web page the booth
 * PC happens to open cannot drive the gate. Every API call carries the session cookie (HttpOnly, SameSite=Strict),
 * which the router checks against each command's role; the event socket opens only for a logged-in session and is
 * closed when that session ends.
 */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const sockets = new Map<WebSocket, string>()
  const budget = new BodyBudget(API_BODY_BUDGET)
  let boundPort = options.port
  const listener: RequestListener = (request, response) => {
    const passThrough = options.passThrough
    if (passThrough && request.url?.startsWith(passThrough.prefix)) return void passThrough.handle(request, response)
    void handle(request, response).catch((error: unknown) => sendJson(response, 500, { ok: false, error: { code: 'internal', message: String(error) } }))
  }
  const server: Server = options.tls ? (createTlsServer(options.tls, listener) as unknown as Server) : createServer(listener)
  const secure = options.tls !== undefined

  /** Refuses before the body is read; the body is dropped so the client still reads the answer. */
  function refuse(request: IncomingMessage, response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    void discardBody(request, API_BODY.maxBytes)
    sendJson(response, status, { ok: false, error: { code, message } }, headers)
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostHeaderAllowed(request.headers.host, options.host, boundPort)) {
      return refuse(request, response, 403, 'forbidden', wrongHost(request.headers.host, options.host, boundPort, secure))
    }
    const url = requestUrl(request)
    const path = url ? decodeUrlPart(url.pathname) : null
    if (!url || path === null) return refuse(request, response, 400, 'invalid_input', BAD_URL)
    if (url.pathname.startsWith(wire.httpInvokePrefix) && url.pathname !== wire.wsEvents) {
      if (request.method !== 'POST') return refuse(request, response, 405, 'invalid_input', 'use POST')
      if (!sameOrigin(request)) return refuse(request, response, 403, 'invalid_input', 'cross-origin request refused')
      const command = path.slice(wire.httpInvokePrefix.length)
      const limits = bodyLimitsOf(command)
      const release = budget.take(BodyBudget.sizeOf(request, limits.maxBytes))
      if (!release) return refuse(request, response, 503, 'unavailable', '服务器正忙（同时提交的数据过多），请稍后重试', { 'Retry-After': '1' })
      response.once('close', release)
      let input: unknown
      try {
        input = await readJsonBody(request, limits)
        if (limits.largeStringBytes !== undefined) input = await withLargeTexts(input)
      } catch (error) {
        if (!(error instanceof BodyError)) throw error
        return sendJson(response, error.status, { ok: false, error: { code: 'invalid_input', message: error.message } })
      }
      const context = sessionContext(options.sessions, readCookie(request, SESSION_COOKIE), request.socket.remoteAddress ?? 'unknown', (token) =>
        response.setHeader('Set-Cookie', sessionCookie(token, secure))
      )
      const reply = await options.router.dispatch(command, input, context)
      return sendJson(response, reply.ok ? 200 : statusOf(reply.error.code), reply)
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(request, response, 405, 'invalid_input', 'method not allowed')
    if (url.pathname === '/health' && options.health) {
      if (options.healthFrom && !options.healthFrom(request.socket.remoteAddress ?? '')) return refuse(request, response, 403, 'forbidden', '此地址不能读取运行状态')
      const report = await options.health()
      if (url.searchParams.get('format') === 'json' || /application\/json/.test(request.headers.accept ?? '')) return sendJson(response, 200, report)
      const html = healthHtml(report)
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' })
      return void response.end(html)
    }
    if (options.rendererDir === undefined) return refuse(request, response, 404, 'not_found', '没有这个页面')
    serveStatic(options.rendererDir, path, response)
  }

  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (request, socket, head) => {
    const path = requestUrl(request)?.pathname
    if (path !== wire.wsEvents || !sameOrigin(request) || !hostHeaderAllowed(request.headers.host, options.host, boundPort)) {
      socket.destroy()
      return
    }
    const token = readCookie(request, SESSION_COOKIE)
    if (!options.sessions.get(token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.set(ws, token!)
      ws.on('close', () => sockets.delete(ws))
    })
  })
  const unsubscribeEnded = options.sessions.onEnded((ended) => {
    for (const [ws, token] of sockets) if (token === ended) ws.close(4401, 'session ended')
  })
  const unsubscribe = options.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload })
    for (const [ws, token] of sockets) {
      if (ws.readyState !== ws.OPEN || !options.sessions.isLive(token)) continue
      // Live-view frames are dropped, not queued, for a client still busy with earlier ones.
      if (event === 'camera.frame' && ws.bufferedAmount > FRAME_BACKLOG_BYTES) continue
      ws.send(message)
    }
  })

  const port = await listen(server, options.host, options.port)
  boundPort = port
  return {
    port,
    url: `${secure ? 'https' : 'http'}://${options.host}:${port}`,
    async close() {
      unsubscribe()
      unsubscribeEnded()
      for (const ws of sockets.keys()) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** The body limits of a command: the default, or its own (a form with images) with its long strings kept out of JSON.parse. */
function bodyLimitsOf(command: string): JsonLimits {
  const own = isCommandName(command) ? (commands[command] as { maxBodyBytes?: number }).maxBodyBytes : undefined
  return own ? { ...API_BODY, maxBytes: own, largeStringBytes: API_LARGE_STRING_BYTES, maxParsedBytes: API_BODY.maxBytes } : API_BODY
}

/**
 * The input with each long string (an image's base64, kept as LargeText by the body reader) made a string again, one
 * at a time with a turn of the event loop between them. Base64 has no JSON escapes: a long string with one is refused.
 */
async function withLargeTexts(value: unknown): Promise<unknown> {
  if (value instanceof LargeText) {
    await new Promise((resolve) => setImmediate(resolve))
    const text = value.latin1(0, value.length)
    if (text.includes('\\')) throw new BodyError(400, '图片数据中不应有转义字符（应为纯 base64）')
    return text
  }
  if (Array.isArray(value)) {
    const items: unknown[] = []
    for (const item of value) items.push(await withLargeTexts(item))
    return items
  }
  if (typeof value === 'object' && value !== null) {
    const entries: [string, unknown][] = []
    for (const [key, item] of Object.entries(value)) entries.push([key, await withLargeTexts(item)])
    return Object.fromEntries(entries)
  }
  return value
}

function statusOf(code: string): number {
  if (code === 'internal') return 500
  if (code === 'unavailable') return 503
  if (code === 'unauthenticated') return 401
  if (code === 'forbidden') return 403
  if (code === 'rate_limited') return 429
  if (code === 'unknown_command' || code === 'not_found') return 404
  return 400
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/** HttpOnly: page scripts never see the token; SameSite=Strict: no other site's page can send it; Secure over HTTPS. */
function sessionCookie(token: string | null, secure: boolean): string {
  const attributes = `Path=/; HttpOnly; ${secure ? 'Secure; ' : ''}SameSite=Strict`
  return token ? `${SESSION_COOKIE}=${token}; ${attributes}` : `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`
}

/** Browsers send Origin on cross-site requests; it must name this very host. Non-browser clients send none. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

const BAD_URL = '网址中的 % 转义无效（例如 %E4 后缺字节）：请检查地址'

function wrongHost(header: string | undefined, boundHost: string, port: number, secure: boolean): string {
  return `请求的主机名（Host: ${header ?? '无'}）不是本机地址，已拒绝（防 DNS 重绑定）：请用 ${secure ? 'https' : 'http'}://${boundHost === '0.0.0.0' || boundHost === '::' ? '本机IP' : boundHost}:${port} 访问`
}

/** `pathname` is already percent-decoded. */
function serveStatic(root: string, pathname: string, response: ServerResponse): void {
  let file = resolveStaticPath(root, pathname)
  if (file === null) {
    response.writeHead(403).end()
    return
  }
  let stats = statOrNull(file)
  if (!stats?.isFile()) {
    // Client-side routes all load the app shell.
    file = join(root, 'index.html')
    stats = statOrNull(file)
    if (!stats) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('renderer not built: run npm run build')
      return
    }
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': stats.size,
    'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable'
  })
  createReadStream(file).pipe(response)
}

function statOrNull(file: string) {
  try {
    return statSync(file)
  } catch {
    return null
  }
}
