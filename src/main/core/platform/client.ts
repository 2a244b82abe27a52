import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { PlatformLink, PlatformStatusView, Verdict } from '@shared/contract'
import { parseSpecDateTime } from '@shared/spec'
import { preparePhoto, PhotoProblemError } from '../photos/prepare'
import { preflightProblems, type PreflightProblem } from './preflight'
import { classifyReply, type CallOutcome, type ClassifyOptions } from './replies'
import { DEFAULT_WIRE, PATHS, printedReplyStyle, PUT_DATA_IPCTYPES, requestBody, type WireOptions } from './wire'
import { isoOrNull } from '../time'
import { HttpPoster, PostFailure } from './http-post'

export interface PlatformClientOptions {
  /** e.g. http://10.1.2.3:8080/ysgk (spec 2.1) */
  baseUrl: string
  organ: string
  username: string
  password: string
  requestTimeoutMs: number
  /** The city's reading of the contradictory parts of the spec; defaults follow ERRATA.md. */
  wire?: Partial<WireOptions>
  /** Called after every login with the platform clock's offset (spec 4.1.1 datetime). */
  onClock?: (clock: PlatformClock) => void
  /** Called whenever the platform status changes (online / down / token), from any contact. */
  onLink?: (link: PlatformLink) => void
  now?: () => number
}

export interface PlatformClock {
  /** Platform clock minus booth clock, in milliseconds. */
  offsetMs: number
  /** The booth clock is off by more than CLOCK_SKEW_LIMIT_MS: the guard must be told. */
  skewed: boolean
}

/** One upload's own patience: how long to wait for the answer, and a way to give up earlier. */
export interface CallOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

export type PlatformStatus = PlatformStatusView

/** Why getCheckVehicle gave no verdict: no answer, the login/token, or the platform refused the request. */
export type UnavailableCause = 'down' | 'token' | 'refused'

/** A getCheckVehicle that could not produce a verdict: the lane decides without the platform. */
export class PlatformUnavailableError extends Error {
  override name = 'PlatformUnavailableError'
  constructor(
    message: string,
    readonly problem: UnavailableCause = 'down'
  ) {
    super(message)
  }
}

/** The guard's sentence for each platform status. */
export const LINK_TEXT: Readonly<Record<PlatformLink['state'], string>> = {
  unknown: '平台状态未知（尚未联系）',
  online: '平台在线',
  down: '平台无法连接（无应答）',
  token: '平台登录失败（账号或令牌无效）'
}

/** Refresh well before the 2-hour lifetime runs out (ERRATA E05). */
export const TOKEN_REFRESH_AFTER_MS = 110 * 60 * 1000
/** A platform reply larger than this is not read (its answers are a few hundred bytes; a login a few more). */
const MAX_REPLY_BYTES = 16 * 1024 * 1024
/** Warn the guard when the booth clock differs from the platform's by more than this (issue 3). */
export const CLOCK_SKEW_LIMIT_MS = 60_000

const trimmed = z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string())
// ERRATA E04/E06: the token as received, trimmed, up to 50 characters.
const loginReplySchema = z.object({ access_token: trimmed.pipe(z.string().min(1).max(50)), datetime: trimmed.optional() })
const checkVehicleValueSchema = z.object({
  isControl: trimmed,
  controlReason: trimmed.default(''),
  emissionStandard: trimmed.default(''),
  fuelType: trimmed.default('')
})

/** A photo ready to go (PlatformClient.preparePhoto): its fields, the bytes to send and their base64. */
export interface PhotoUpload {
  photoUpload: { fields: Record<string, string>; photo: Buffer; base64Image: string; name: string }
}

type Body = { kind: 'json'; json: unknown } | { kind: 'multipart'; info: unknown; jpeg: Uint8Array; fileName: string }

/**
 * The city platform (spec 4.1) over HTTP: all eight interfaces. Checks every record before sending (a record that
 * would fail the format check is not sent), keeps one access token (fetched at start, refreshed before 2 h and once
 * on a 401), measures the platform's clock, and turns every reply into a typed outcome. It never logs or exposes the
 * password or the token.
 */
export class PlatformClient {
  private readonly http: HttpPoster
  private readonly now: () => number
  private readonly wire: WireOptions
  private token: { value: string; issuedAt: number } | null = null
  private login: Promise<string> | null = null
  private offsetMs: number | null = null
  private reachable: boolean | null = null
  private lastContactAt: number | null = null
  private lastError: string | null = null
  /** When a real call to the platform last began or ended: the idle probe only runs after a quiet spell. */
  private lastAttemptAt = -Infinity
  private probing = false
  private link: PlatformLink = { state: 'unknown', since: null, text: LINK_TEXT.unknown }

  constructor(private readonly options: PlatformClientOptions) {
    this.now = options.now ?? Date.now
    this.wire = { ...DEFAULT_WIRE, ...options.wire }
    this.http = new HttpPoster(new URL(options.baseUrl))
  }

  /** spec 4.1.1 getAccessToken, at start-up: fetches a token (and the clock offset) unless a fresh one is held. */
  async connect(): Promise<CallOutcome> {
    try {
      await this.accessToken()
      return { kind: 'ok', reply: null }
    } catch (error) {
      return { kind: 'retry', reason: `login failed: ${(error as Error).message}` }
    }
  }

  /** spec 4.1.3: allowed or controlled, within `timeoutMs`. Throws PlatformUnavailableError when no verdict came. */
  async checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict> {
    const value = { license, licenseColor }
    const problems = preflightProblems('getCheckVehicle', value)
    if (problems.length > 0) throw new PlatformUnavailableError(describeProblems(problems), 'refused')
    const outcome = await this.call('getCheckVehicle', PATHS.getData, (token) => ({ kind: 'json', json: requestBody('getCheckVehicle', value, this.envelope(token), this.wire) }), { timeoutMs })
    if (outcome.kind !== 'ok') throw new PlatformUnavailableError(outcome.reason, outcome.kind === 'reject' ? 'refused' : outcome.kind === 'reauth' || this.link.state === 'token' ? 'token' : 'down')
    const verdict = checkVehicleValueSchema.safeParse((outcome.reply as { value?: unknown }).value)
    if (!verdict.success) throw new PlatformUnavailableError('getCheckVehicle reply has no usable value', 'refused')
    return verdict.data
  }

  /**
   * One put_data record: 4.1.4 shareDrivingRecord, 4.1.6 shareGoodsRecord, 4.1.2 shareVehInfo, 4.1.7
   * shareInnerVehInfo, 4.1.8 shareInnerMHYElec. A record that fails pre-flight is not sent: the outcome is a fixable
   * reject listing the problems.
   */
  async putData(ipctype: string, value: Record<string, string>, options: CallOptions = {}): Promise<CallOutcome> {
    if (!PUT_DATA_IPCTYPES.has(ipctype)) return { kind: 'reject', reason: `${ipctype} is not a put_data interface`, reply: null, fixable: false }
    const problems = preflightProblems(ipctype, value)
    if (problems.length > 0) return preflightReject(problems)
    let fields: Record<string, string>
    try {
      fields = await withSendableImages(value)
    } catch (error) {
      if (error instanceof PhotoProblemError) return { kind: 'reject', reason: `图片无法上传：${error.message}`, reply: null, fixable: true }
      throw error
    }
    return this.call(ipctype, PATHS.putData, (token) => ({ kind: 'json', json: requestBody(ipctype, fields, this.envelope(token), this.wire) }), options)
  }

  /**
   * spec 4.1.5 sharePhotoInfo over put_file (ERRATA E28, shape per `wire.photoUpload`). The photo must be a real JPEG;
   * one over 700,000 bytes is re-encoded smaller (E29). base64Image is filled here from the photo actually sent.
   */
  async putPhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string, options: CallOptions = {}): Promise<CallOutcome> {
    const upload = await this.preparePhoto(value, jpeg, fileName)
    return 'kind' in upload ? upload : this.sendPhoto(upload, options)
  }

  /**
   * putPhoto's work before the call (pre-flight, JPEG check, re-encoding, base64), so a caller can do it while other
   * calls are in flight; an outcome when the photo cannot be sent at all.
   */
  async preparePhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string): Promise<PhotoUpload | CallOutcome> {
    const { base64Image: _attachedHere, ...fields } = value
    const problems = preflightProblems('sharePhotoInfo', fields)
    if (problems.length > 0) return preflightReject(problems)
    let photo: Buffer
    try {
      photo = (await preparePhoto(jpeg)).jpeg
    } catch (error) {
      if (error instanceof PhotoProblemError) return { kind: 'reject', reason: `照片无法上传：${error.message}`, reply: null, fixable: false }
      throw error
    }
    const base64Image = this.wire.photoUpload === 'multipart-without-base64' ? '' : photo.toString('base64')
    const name = /\.jpe?g$/i.test(fileName) ? fileName : `${fileName}.jpg`
    return { photoUpload: { fields, photo, base64Image, name } }
  }

  /** The call of a prepared photo (putPhoto = preparePhoto + sendPhoto). */
  sendPhoto({ photoUpload: { fields, photo, base64Image, name } }: PhotoUpload, options: CallOptions = {}): Promise<CallOutcome> {
    return this.call(
      'sharePhotoInfo',
      PATHS.putFile,
      (token) => {
        const envelope = requestBody('sharePhotoInfo', { ...fields, base64Image }, this.envelope(token), this.wire)
        return this.wire.photoUpload === 'json-base64' ? { kind: 'json', json: envelope } : { kind: 'multipart', info: envelope, jpeg: photo, fileName: name }
      },
      options
    )
  }

  /** Platform clock minus booth clock, from the last login reply's datetime; null before the first login. */
  clockOffsetMs(): number | null {
    return this.offsetMs
  }

  /**
   * The booth clock corrected by the platform's (records use this time). An offset under a second is within what the
   * platform's whole-second datetime can tell, so it is not applied.
   */
  correctedNow(): number {
    const offset = this.offsetMs ?? 0
    return this.now() + (Math.abs(offset) < 1000 ? 0 : offset)
  }

  status(): PlatformStatus {
    return {
      reachable: this.reachable,
      lastContactAt: isoOrNull(this.lastContactAt),
      lastError: this.lastError,
      clockOffsetMs: this.offsetMs,
      clockSkewed: isSkewed(this.offsetMs),
      loggedIn: this.token !== null && this.now() - this.token.issuedAt < TOKEN_REFRESH_AFTER_MS,
      link: this.link
    }
  }

  /** The one platform status (contract `PlatformLink`), as the last contact left it. */
  linkStatus(): PlatformLink {
    return this.link
  }

  /**
   * Liveness while nothing else talks to the platform: any HTTP answer to a GET of the base URL means it is up, none
   * within `timeoutMs` means down. Skipped when a real call began or ended within `quietMs`.
   */
  async probe(timeoutMs: number, quietMs: number): Promise<void> {
    // The probe's own GET does not count as a call: were it to, every other tick of the interval would be skipped
    // and a platform going down would be seen a whole interval later.
    if (this.probing || this.now() - this.lastAttemptAt < quietMs) return
    this.probing = true
    try {
      // A reply too long to keep is an answer all the same.
      await this.http.get('', { accept: '*/*', timeoutMs, maxReplyBytes: 64 * 1024 }).catch((error: unknown) => {
        if (!(error instanceof PostFailure && error.reason === 'too-large')) throw error
      })
      this.reachable = true
      this.lastContactAt = this.now()
      // An answer says the server is up; only a real call can say the login works again.
      if (this.link.state !== 'token') this.setLink('online')
    } catch {
      this.reachable = false
      this.setLink('down')
    } finally {
      this.probing = false
    }
  }

  private setLink(state: PlatformLink['state']): void {
    if (this.link.state === state) return
    this.link = { state, since: isoOrNull(this.now()), text: LINK_TEXT[state] }
    this.options.onLink?.(this.link)
  }

  private envelope(token: string) {
    return { organ: this.options.organ, token }
  }

  private async call(ipctype: string, path: string, body: (token: string) => Body, options: CallOptions = {}): Promise<CallOutcome> {
    const classify: ClassifyOptions = this.wire.replyStyle === 'as-printed' ? { expectStyle: printedReplyStyle(ipctype) } : {}
    for (let attempt = 0; ; attempt++) {
      let token: string
      try {
        token = await this.accessToken()
      } catch (error) {
        return { kind: 'retry', reason: `login failed: ${(error as Error).message}` }
      }
      const outcome = await this.post(path, body(token), classify, options)
      if (outcome.kind !== 'reauth' || attempt > 0) return outcome
      this.forgetToken(token)
    }
  }

  private async post(path: string, body: Body, classify: ClassifyOptions, { timeoutMs, signal }: CallOptions = {}): Promise<CallOutcome> {
    let outcome: CallOutcome
    this.lastAttemptAt = this.now()
    try {
      const { payload, contentType } = body.kind === 'json' ? { payload: JSON.stringify(body.json), contentType: 'application/json; charset=UTF-8' } : multipart(body)
      const response = await this.http.post(path, payload, {
        contentType,
        accept: 'application/json',
        timeoutMs: timeoutMs ?? this.options.requestTimeoutMs,
        signal,
        maxReplyBytes: MAX_REPLY_BYTES
      })
      this.reachable = true
      this.lastContactAt = this.now()
      // Every status is a reply to classify; an HTML error page or garbage stays a classified outcome too.
      outcome = classifyReply(response.status, parseJson(response.text), classify)
    } catch (error) {
      this.reachable = false
      outcome = { kind: 'retry', reason: describeNetworkError(error) }
    }
    this.lastAttemptAt = this.now()
    this.lastError = outcome.kind === 'ok' ? null : outcome.reason
    this.setLink(outcome.kind === 'retry' ? 'down' : outcome.kind === 'reauth' ? 'token' : 'online')
    return outcome
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.now() - this.token.issuedAt < TOKEN_REFRESH_AFTER_MS) return this.token.value
    this.login ??= this.fetchToken().finally(() => {
      this.login = null
    })
    return this.login
  }

  private async fetchToken(): Promise<string> {
    // ERRATA E02: the login is flat, with no access_token and no value.
    const request = { organ: this.options.organ, ipctype: 'getAccessToken', username: this.options.username, password: this.options.password }
    const sentAt = this.now()
    const outcome = await this.post(PATHS.getData, { kind: 'json', json: request }, {})
    if (outcome.kind !== 'ok') {
      if (outcome.kind !== 'retry') this.setLink('token')
      throw new Error(outcome.reason)
    }
    const reply = loginReplySchema.safeParse(outcome.reply)
    if (!reply.success) {
      this.setLink('token')
      throw new Error('login reply has no access_token')
    }
    const receivedAt = this.now()
    const serverTime = reply.data.datetime ? parseSpecDateTime(reply.data.datetime) : null
    if (serverTime) {
      // The platform stamped its reply somewhere between sending and receiving: take the midpoint. The datetime is cut
      // to whole seconds, so the platform's clock read somewhere in the second after it: take that second's middle.
      this.offsetMs = serverTime.getTime() + 500 - Math.round((sentAt + receivedAt) / 2)
      this.options.onClock?.({ offsetMs: this.offsetMs, skewed: isSkewed(this.offsetMs) })
    }
    this.token = { value: reply.data.access_token, issuedAt: receivedAt }
    return reply.data.access_token
  }

  private forgetToken(token: string): void {
    if (this.token?.value === token) this.token = null
  }
}

/** The base64 JPEGs that 4.1.2/4.1.7/4.1.8 carry inline (ERRATA E29 applies to them too). */
const INLINE_IMAGES = ['drivingLicenseImg', 'drivingLicenseImg2', 'imageInfo'] as const

/** The record with every inline image re-encoded to at most 700,000 bytes where it was larger. */
async function withSendableImages(value: Record<string, string>): Promise<Record<string, string>> {
  const out = { ...value }
  for (const name of INLINE_IMAGES) {
    const base64 = value[name]
    if (!base64) continue
    const prepared = await preparePhoto(Buffer.from(base64, 'base64')).catch((error: unknown) => {
      throw error instanceof PhotoProblemError ? new PhotoProblemError(`${name}：${error.message}`) : error
    })
    if (prepared.reencoded) out[name] = prepared.jpeg.toString('base64')
  }
  return out
}

function isSkewed(offsetMs: number | null): boolean {
  return offsetMs !== null && Math.abs(offsetMs) > CLOCK_SKEW_LIMIT_MS
}

function describeProblems(problems: PreflightProblem[]): string {
  return `预检未通过：${problems.map((problem) => problem.message).join('；')}`
}

function preflightReject(problems: PreflightProblem[]): CallOutcome {
  return { kind: 'reject', reason: describeProblems(problems), reply: null, fixable: true, problems }
}

/**
 * The put_file entity of spec 5.2 (ERRATA E28): part `file` (the JPEG) and part `info` (the envelope as UTF-8 JSON
 * text), assembled as one buffer. FormData would copy and scan the ~1 MB info text of every photo again.
 */
function multipart(body: Extract<Body, { kind: 'multipart' }>): { payload: Buffer; contentType: string } {
  const boundary = `----GateBooth${randomBytes(12).toString('hex')}`
  const fileName = body.fileName.replace(/["\r\n]/g, '_')
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    body.jpeg,
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="info"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n`),
    ...envelopeJson(body.info),
    Buffer.from(`\r\n--${boundary}--\r\n`)
  ])
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` }
}

/**
 * The envelope as UTF-8 JSON, in pieces: a base64Image is spliced in as its own bytes instead of going through
 * JSON.stringify and a UTF-8 encoding of the whole ~1 MB text (base64 needs no JSON escaping, and its characters
 * are their own UTF-8 bytes). The key is found with its empty value in the JSON text: inside a JSON string every
 * quote is escaped, so only the key itself can match.
 */
function envelopeJson(info: unknown): Buffer[] {
  const envelope = info as { value?: Record<string, unknown> }
  const base64Image = envelope.value?.base64Image
  if (typeof base64Image !== 'string' || base64Image === '') return [Buffer.from(JSON.stringify(info), 'utf8')]
  const text = JSON.stringify({ ...envelope, value: { ...envelope.value, base64Image: '' } })
  const at = text.indexOf('"base64Image":""') + '"base64Image":"'.length
  return [Buffer.from(text.slice(0, at), 'utf8'), Buffer.from(base64Image, 'latin1'), Buffer.from(text.slice(at), 'utf8')]
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof PostFailure) {
    if (error.reason === 'timeout') return 'platform did not answer in time'
    if (error.reason === 'refused') return 'platform refused the connection'
    if (error.reason === 'closed') return 'platform closed the connection'
    if (error.reason === 'too-large') return `platform reply too large: ${error.message}`
    return `network error ${error.message}`.trim()
  }
  return `request failed: ${(error as Error).message}`
}

