import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Actor } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import type { AuditLog } from '../../core/audit'
import { LoginThrottle, SessionStore, Users } from '../../core/auth'
import { Authenticator } from '../../core/auth/service'
import { readJsonBody, sendJson } from '../../core/http/body'
import type { Clock } from '../../core/time'
import type { PlantStore } from '../store'
import { CONSOLE_HTML, CONSOLE_SCRIPT } from './page'

const COOKIE = 'plant_session'
const JSON_LIMITS = { maxBytes: 16 * 1024, maxDepth: 4, maxItems: 100 }
const DAY_MS = 86_400_000
const BEIJING_MS = 8 * 3600_000

export interface ConsoleOptions {
  store: Pick<PlantStore, 'repos' | 'views' | 'booths'>
  audit: AuditLog
  fingerprint: string
  clock: Clock
}

/**
 * The plant's admin console for browsers on the LAN, on the plant's HTTPS port under /console: login with the
 * plant's users (the booth's password rules, throttle and audit), a session cookie (HttpOnly, Secure, SameSite),
 * roles as on a booth: guards read the enterprise views, admins also make enrolment codes and revoke booths.
 */
export function consoleHandler({ store, audit, fingerprint, clock }: ConsoleOptions) {
  const users = new Users(store.repos.users, clock)
  const authenticator = new Authenticator(users, new LoginThrottle(undefined, clock), audit)
  const sessions = new SessionStore(clock)

  const actorOf = (request: IncomingMessage): Actor | null => {
    const token = /(?:^|;\s*)plant_session=([A-Za-z0-9_-]+)/.exec(request.headers.cookie ?? '')?.[1]
    return sessions.get(token)?.actor ?? null
  }

  async function api(request: IncomingMessage, response: ServerResponse, path: string, url: URL): Promise<void> {
    if (request.method === 'POST' && path === 'login') {
      const body = (await readJsonBody(request, JSON_LIMITS)) as { username?: unknown; password?: unknown }
      if (typeof body.username !== 'string' || typeof body.password !== 'string') return sendJson(response, 400, { error: '请输入用户名和密码' })
      const actor = await authenticator.check(body.username, body.password, request.socket.remoteAddress ?? '')
      await audit.append({ actor, action: 'auth.login', subject: actor.userId, detail: { console: 'plant' } })
      const token = sessions.create(actor)
      return sendJson(response, 200, { actor }, { 'Set-Cookie': `${COOKIE}=${token}; Path=/console; HttpOnly; Secure; SameSite=Strict` })
    }
    const actor = actorOf(request)
    if (!actor) return sendJson(response, 401, { error: '请先登录' })
    if (request.method === 'GET' && path === 'me') return sendJson(response, 200, { actor, fingerprint })
    if (request.method === 'GET' && path === 'journal') {
      return sendJson(response, 200, await store.views.journal({ plate: url.searchParams.get('plate') || undefined, gateCode: url.searchParams.get('gate') || undefined, limit: 100 }))
    }
    if (request.method === 'GET' && path === 'presence') return sendJson(response, 200, await store.views.presence({ limit: 500 }))
    const day = url.searchParams.get('day') ?? ''
    const dayStart = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) - BEIJING_MS : NaN
    if (request.method === 'GET' && path === 'visits') {
      if (!Number.isFinite(dayStart)) return sendJson(response, 400, { error: '日期格式应为 yyyy-MM-dd' })
      return sendJson(response, 200, await store.views.visits({ from: dayStart, to: dayStart + DAY_MS, limit: 500 }))
    }
    if (request.method === 'GET' && path === 'statistics') {
      if (!Number.isFinite(dayStart)) return sendJson(response, 400, { error: '日期格式应为 yyyy-MM-dd' })
      const query = { from: day, to: day, localPlatePrefixes: [] }
      return sendJson(response, 200, { gates: await store.repos.statistics.countRows(query, 'gate'), plant: await store.repos.statistics.countRows(query, 'plant') })
    }
    if (actor.role !== 'admin') return sendJson(response, 403, { error: '此操作需要管理员权限' })
    if (request.method === 'POST' && path === 'enrolment-codes') {
      const body = (await readJsonBody(request, JSON_LIMITS)) as { gateCode?: unknown }
      if (typeof body.gateCode !== 'string' || !/^(?!00)\d{2}$/.test(body.gateCode)) return sendJson(response, 400, { error: '门岗编号应为 01–99' })
      const code = await store.booths.createCode(body.gateCode, actor.name, clock())
      await audit.append({ actor, action: 'plant.enrolment_code', subject: body.gateCode })
      return sendJson(response, 200, { code, fingerprint, gateCode: body.gateCode })
    }
    if (request.method === 'POST' && path === 'revoke') {
      const body = (await readJsonBody(request, JSON_LIMITS)) as { boothId?: unknown }
      if (typeof body.boothId !== 'string') return sendJson(response, 400, { error: '请填写岗亭编号' })
      const revoked = await store.booths.revoke(body.boothId, clock())
      await audit.append({ actor, action: 'plant.booth_revoked', subject: body.boothId, detail: { revoked } })
      return sendJson(response, 200, { revoked })
    }
    sendJson(response, 404, { error: '没有这个接口' })
  }

  /** Handles /console…; false for any other path. */
  return async function handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/console' || url.pathname === '/console/') {
      const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'", 'Cache-Control': 'no-store' }
      response.writeHead(200, headers).end(CONSOLE_HTML)
      return true
    }
    if (url.pathname === '/console/app.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(CONSOLE_SCRIPT)
      return true
    }
    if (!url.pathname.startsWith('/console/api/')) return false
    try {
      await api(request, response, url.pathname.slice('/console/api/'.length), url)
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error
      sendJson(response, error.code === 'rate_limited' ? 429 : error.code === 'unauthenticated' ? 401 : 400, { error: error.message })
    }
    return true
  }
}
