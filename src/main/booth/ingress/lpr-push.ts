import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { z } from 'zod'
import { plateColourSchema, plateSchema } from '@shared/contract'
import type { NewAuditEntry } from '../../core/audit'
import { ConfigError, type LaneConfig } from '../../core/config'
import { hostHeaderAllowed, isLoopbackAddress, normalizeAddress } from '../../core/http/address'
import { BodyBudget, BodyError, decodeUrlPart, discardBody, listen, readJsonBody, requestUrl, sendJson, type JsonLimits } from '../../core/http/body'
import { registerSecret } from '../../core/log'
import { storageProblem } from '../../core/retention'
import { UnknownLaneError, type PlateReadResult } from '../lane'
import { fieldIssues, issuesText, type FieldIssue } from '../../core/api/errors'
import { base64Jpeg } from './base64-jpeg'
import { decodePushedRead, type CameraRead, type PushedRead } from './camera-read'
import { CameraTrust, type TrustVerdict } from './camera-trust'
import { RefusalLimiter, type RefusalLimits } from './refusals'
import { isVzenithPush, pushedReadFromVzenith, vzenithPushSchema } from './vzenith'
import { dahuaPushSchema, isDahuaPush, pushedReadFromDahua } from './dahua'
import { isHikvisionJson, parseHikvisionAlert, parseHikvisionMultipart, pushedReadFromHikvision } from './hikvision'
import { multipartBoundary, parseMultipart, readRawBody } from './multipart'
import type { Device } from '../devices'
import { PushCameraHealth } from './push-health'

/**
 * Photos arrive base64-encoded; a few MB of JPEG is plenty for a plate camera. A 臻识 push nests six levels and has
 * a few dozen fields; strings from 4 KB up (photos) are kept out of JSON.parse and decoded in slices, and the rest
 * may not pass 256 KB, so no push costs JSON.parse more than a millisecond or two.
 */
const PUSH_BODY: JsonLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 16, maxItems: 2_000, largeStringBytes: 4 * 1024, maxParsedBytes: 256 * 1024 }
/** Bodies held at once on the port (three of the largest): a burst of large pushes cannot run the booth out of memory. */
const PUSH_BODY_BUDGET = 3 * PUSH_BODY.maxBytes
/** A push must arrive whole within this: a sender trickling its bytes is cut off. */
const REQUEST_TIMEOUT_MS = 30_000
const MAX_CONNECTIONS = 64

/** The generic JSON format of POST /lpr/{laneId}; see docs/lpr-push.md. */
export const lprPushSchema = z
  .object({
    plate: plateSchema,
    colour: plateColourSchema,
    confidence: z.number().min(0).max(1).optional(),
    recognizedAt: z.iso.datetime({ offset: true }).optional(),
    /** The camera's own id of this read: a re-send carries the same one. */
    eventId: z.string().min(1).max(128).optional(),
    images: z.object({ front: base64Jpeg.optional(), rear: base64Jpeg.optional() }).strict().optional()
  })
  .strict()

export type LprPush = z.output<typeof lprPushSchema>

export function pushedReadFromGeneric(push: LprPush): PushedRead {
  const images: PushedRead['images'] = []
  if (push.images?.front !== undefined) images.push({ zpbh: '1', path: 'images.front', text: push.images.front })
  if (push.images?.rear !== undefined) images.push({ zpbh: '2', path: 'images.rear', text: push.images.rear })
  return {
    plate: push.plate,
    colour: push.colour,
    cameraAt: push.recognizedAt ? Date.parse(push.recognizedAt) : null,
    eventId: push.eventId ?? null,
    images,
    confidence: push.confidence ?? null
  }
}

type Issues = FieldIssue[]
export type PushFormat = 'generic' | 'vzenith' | 'hikvision' | 'dahua'
export type ParsedPush = { format: PushFormat; pushed: PushedRead } | { issues: Issues }

/** Recognises the body's format (generic, or a vendor's) and maps it onto a read; photos stay base64. */
export function parsePush(body: unknown): ParsedPush {
  if (isDahuaPush(body)) {
    const push = dahuaPushSchema.safeParse(body)
    return push.success ? { format: 'dahua', pushed: pushedReadFromDahua(push.data) } : { issues: fieldIssues(push.error) }
  }
  if (isHikvisionJson(body)) {
    const alert = parseHikvisionAlert(Buffer.from(JSON.stringify(body)), 'application/json')
    if ('issues' in alert) return alert
    const read = pushedReadFromHikvision(alert.alert, [])
    return 'issues' in read ? read : { format: 'hikvision', pushed: read.pushed }
  }
  if (isVzenithPush(body)) {
    const push = vzenithPushSchema.safeParse(body)
    return push.success ? { format: 'vzenith', pushed: pushedReadFromVzenith(push.data) } : { issues: fieldIssues(push.error) }
  }
  const push = lprPushSchema.safeParse(body)
  return push.success ? { format: 'generic', pushed: pushedReadFromGeneric(push.data) } : { issues: fieldIssues(push.error) }
}

export interface LprIngress {
  url: string
  close(): Promise<void>
}

export interface LprIngressOptions {
  host: string
  port: number
  lanes: readonly LaneConfig[]
  /** Each lane's push secret, by lane id (`pushSecrets`). */
  secrets: ReadonlyMap<string, string>
  /** Takes a read in (the camera-read inbox); resolves once it is durable and the lane has answered. */
  accept(read: CameraRead): Promise<PlateReadResult>
  audit: { append(entry: NewAuditEntry): unknown }
  alarms: { cameraRefused(input: { laneId: string | null; source: string; reason: string }): unknown }
  /** The lane's 臻识 camera barrier, opened by the reply to its push (`Response_AlarmInfoPlate.info` "ok"), if it has one. */
  replyBarrier?: (laneId: string) => { beginReply(): () => boolean } | null
  /** Where each lane's push camera shows its health (`<laneId>/camera`): a bad push is an error there. */
  devices?: { register(device: Device): () => void }
  log?: (line: string) => void
  refusalLimits?: RefusalLimits
  now?: () => number
}

const BAD_URL = '推送网址中的 % 转义无效：请检查摄像机里填写的推送地址'

/**
 * The HTTP endpoint plate cameras push their reads to: POST /lpr/{laneId}. In order: the sender is checked (the
 * lane's camera address and/or secret, no browser), the body is read within its limits, the read is made durable
 * (CameraInbox), and only then is the camera answered 2xx; a read that could not be kept is answered 503 so the
 * camera sends it again.
 */
export async function startLprIngress(options: LprIngressOptions): Promise<LprIngress> {
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const trust = new CameraTrust(options.lanes.map((lane) => ({ laneId: lane.id, allowFrom: lane.camera.allowFrom, secret: options.secrets.get(lane.id) ?? null })), now)
  const limiter = new RefusalLimiter(options.refusalLimits, now)
  const budget = new BodyBudget(PUSH_BODY_BUDGET)
  let boundPort = options.port
  // A push camera has no connection to watch: its health is what its last push was like, shown from its first push.
  const cameraHealth = new Map<string, PushCameraHealth>()
  const unregister: (() => void)[] = []
  function pushOutcome(laneId: string, source: string, problem: string | null): void {
    if (!options.devices) return
    let health = cameraHealth.get(laneId)
    if (!health) {
      health = new PushCameraHealth(`${laneId}/camera`, laneId)
      cameraHealth.set(laneId, health)
      try {
        unregister.push(options.devices.register(health))
      } catch {
        // The lane's ONVIF camera holds the id already: its own health speaks for it.
        return
      }
    }
    if (problem) {
      log(`lpr push to ${laneId} from ${source} refused: ${problem}`)
      health.failed(`摄像机 ${source} 推送的数据有误：${problem}`)
    } else health.seen()
  }
  const server = createServer((request, response) => {
    void respond(request, response).catch((error: unknown) => {
      log(`lpr push failed: ${(error as Error).stack ?? String(error)}`)
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'internal', message: `内部错误：${(error as Error).message}` } })
    })
  })
  server.requestTimeout = REQUEST_TIMEOUT_MS
  server.maxConnections = MAX_CONNECTIONS

  /** Answers without reading the body (it is read and dropped, so the sender still gets the answer). */
  function refuse(request: IncomingMessage, response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string | string[]> = {}): void {
    void discardBody(request, PUSH_BODY.maxBytes)
    sendJson(response, status, { error: { code, message } }, headers)
  }

  function refused(request: IncomingMessage, response: ServerResponse, laneId: string, source: string, verdict: Extract<TrustVerdict, { ok: false }>): void {
    const { audit, alarm, nowBlocked } = limiter.refused(`${source} → ${laneId}`, verdict.challenge)
    if (audit) options.audit.append({ actor: null, action: 'lpr.refused', subject: `laneId=${laneId}`, detail: { source, status: verdict.status, reason: verdict.reason, rateLimited: nowBlocked } })
    if (alarm) options.alarms.cameraRefused({ laneId, source, reason: verdict.reason })
    if (audit) log(`lpr push to ${laneId} from ${source} refused (${verdict.status}): ${verdict.reason}`)
    const headers: Record<string, string[]> = verdict.status === 401 ? { 'WWW-Authenticate': trust.challenges() } : {}
    const advice = verdict.challenge ? '请在摄像机的推送设置中填写密钥或认证密码' : '推送已拒收、未记录。请核对摄像机的推送地址与密钥，或本车道的 camera.allowFrom'
    refuse(request, response, verdict.status, verdict.status === 401 ? 'unauthenticated' : 'forbidden', `${verdict.reason}：${advice}`, headers)
  }

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const source = normalizeAddress(request.socket.remoteAddress ?? '')
    const url = requestUrl(request)
    const match = url ? /^\/lpr\/([^/]+)$/.exec(url.pathname) : null
    if (!url || !match || request.method !== 'POST') return refuse(request, response, 404, 'not_found', 'POST /lpr/{laneId}')
    const laneId = decodeUrlPart(match[1]!)
    if (laneId === null) return refuse(request, response, 400, 'invalid_input', BAD_URL)
    if (!trust.has(laneId)) return refuse(request, response, 404, 'unknown_lane', `未知车道：${laneId}（请核对推送地址中的车道编号）`)
    // Counted per sender and lane: an LPR server pushing for several lanes is not stopped on all of them by one
    // lane's wrong key.
    const sender = `${source} → ${laneId}`
    if (limiter.blocked(sender)) return refuse(request, response, 429, 'rate_limited', `${source} 向车道 ${laneId} 的推送被拒收过多，暂停受理 1 分钟`, { 'Retry-After': '60' })
    // A web page is not a camera: browsers send Origin, and a page on this PC reaching a loopback port through a
    // rebound DNS name sends that name as Host. Cameras send neither.
    const fromBrowser = request.headers.origin !== undefined || (isLoopbackAddress(source) && !hostHeaderAllowed(request.headers.host, options.host, boundPort))
    const verdict: TrustVerdict = fromBrowser
      ? { ok: false, status: 403, reason: '推送来自浏览器网页（带 Origin 或非本机地址的 Host），不是摄像机', challenge: false }
      : trust.check(laneId, { remoteAddress: source, method: request.method, target: request.url ?? '', key: url.searchParams.get('key'), authorization: request.headers.authorization })
    if (!verdict.ok) return refused(request, response, laneId, source, verdict)
    limiter.accepted(sender)

    const release = budget.take(BodyBudget.sizeOf(request, PUSH_BODY.maxBytes))
    if (!release) return refuse(request, response, 503, 'unavailable', '同时到达的推送过多，请摄像机稍后重发', { 'Retry-After': '1' })
    response.once('close', release)
    const contentType = request.headers['content-type'] ?? ''
    let parsed: ParsedPush
    try {
      parsed = await readPush(request, contentType)
    } catch (error) {
      if (!(error instanceof BodyError)) throw error
      pushOutcome(laneId, source, error.message)
      return sendJson(response, error.status, { error: { code: 'invalid_input', message: error.message } })
    }
    if ('issues' in parsed) {
      pushOutcome(laneId, source, issuesText(parsed.issues))
      return invalid(response, parsed.issues)
    }
    const decoded = await decodePushedRead(laneId, source, parsed.pushed)
    if ('issues' in decoded) {
      pushOutcome(laneId, source, issuesText(decoded.issues))
      return invalid(response, decoded.issues)
    }
    pushOutcome(laneId, source, decoded.warnings.length > 0 ? decoded.warnings.join('；') : null)

    let result: PlateReadResult
    // A 臻识 camera wired to the barrier opens it on this push's reply, if the lane opens while the camera waits.
    const replyOpens = parsed.format === 'vzenith' ? (options.replyBarrier?.(laneId)?.beginReply() ?? null) : null
    try {
      result = await options.accept(decoded.read)
    } catch (error) {
      replyOpens?.()
      if (error instanceof UnknownLaneError) return sendJson(response, 404, { error: { code: 'unknown_lane', message: error.message } })
      log(`lpr push of ${decoded.read.plate} to ${laneId} not kept: ${(error as Error).stack ?? String(error)}`)
      const problem = storageProblem(error)
      const message = problem
        ? `${decoded.read.plate} 的通行记录未能保存：${problem}；摄像机稍后重发的同一车辆不会重复记录`
        : `${decoded.read.plate} 的识别记录未能保存（${(error as Error).message}），请摄像机稍后重发；重发的同一车辆不会重复记录`
      return sendJson(response, 503, { error: { code: 'unavailable', message } }, { 'Retry-After': '2' })
    }
    const opened = replyOpens?.() ?? false
    const { outcome, passage } = result
    const warnings = [...decoded.warnings, ...result.warnings]
    const confidence = parsed.pushed.confidence
    // A truck behind the one in the lane waits its turn: its read is kept, and decided later.
    const reply = passage
      ? { outcome, lsh: passage.lsh, decision: passage.decision, reasonText: passage.reasonText, confidence, warnings }
      : { outcome, confidence, warnings }
    if (result.warnings.length > 0) pushOutcome(laneId, source, result.warnings.join('；'))
    if (parsed.format === 'generic') return sendJson(response, passage ? 201 : 202, reply)
    // Hikvision listens for a 200; Dahua's ITSAPI reads Result.
    if (parsed.format === 'hikvision') return sendJson(response, 200, reply)
    if (parsed.format === 'dahua') return sendJson(response, 200, { Result: true, Message: 'OK', ...reply })
    // Vzenith cameras read their own reply: "ok" lifts the arm through the camera's IO output — only when this lane's
    // barrier is that output and the lane opened for this truck; otherwise "no", the booth opens its own barrier.
    sendJson(response, 200, { Response_AlarmInfoPlate: { info: opened ? 'ok' : 'no' }, ...reply })
  }

  boundPort = await listen(server, options.host, options.port)
  return {
    url: `http://${options.host}:${boundPort}`,
    async close() {
      unregister.forEach((remove) => remove())
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/**
 * The push's format, told by its content: multipart/form-data or XML is a Hikvision ISAPI alarm; JSON is the generic
 * format or a vendor's (Dahua ITSAPI, Hikvision JSON, 臻识), told by its top-level keys.
 */
async function readPush(request: IncomingMessage, contentType: string): Promise<ParsedPush> {
  const boundary = multipartBoundary(contentType)
  if (boundary) {
    const read = parseHikvisionMultipart(parseMultipart(await readRawBody(request, PUSH_BODY.maxBytes), boundary))
    return 'issues' in read ? read : { format: 'hikvision', pushed: read.pushed }
  }
  if (/^(application|text)\/xml\b/i.test(contentType)) {
    const alert = parseHikvisionAlert(await readRawBody(request, PUSH_BODY.maxBytes), contentType)
    if ('issues' in alert) return alert
    const read = pushedReadFromHikvision(alert.alert, [])
    return 'issues' in read ? read : { format: 'hikvision', pushed: read.pushed }
  }
  if (/^multipart\//i.test(contentType)) throw new BodyError(400, 'multipart 推送缺少 boundary 参数')
  return parsePush(await readJsonBody(request, PUSH_BODY))
}

function invalid(response: ServerResponse, issues: Issues): void {
  sendJson(response, 400, { error: { code: 'invalid_input', message: issuesText(issues), issues } })
}

/**
 * Each lane's push secret, from the environment variable its config names (kept out of the logs). Read before
 * anything starts: a lane naming a variable that is unset stops the start with what to do.
 */
export function pushSecrets(lanes: readonly LaneConfig[], secret: (name: string) => string | undefined): Map<string, string> {
  const secrets = new Map<string, string>()
  for (const lane of lanes) {
    const name = lane.camera.pushSecretEnv
    if (!name) continue
    const value = secret(name)
    if (!value) throw new ConfigError(`车道 ${lane.id} 的推送密钥环境变量 ${name} 未设置（lanes[].camera.pushSecretEnv）：请设置该环境变量后重启`)
    registerSecret(value)
    secrets.set(lane.id, value)
  }
  return secrets
}
