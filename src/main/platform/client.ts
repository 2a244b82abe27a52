import axios, { type AxiosInstance } from 'axios'
import { z } from 'zod'
import type { Verdict } from '@shared/contract'
import { parseSpecDateTime } from '@shared/spec'
import { classifyReply, type CallOutcome } from './replies'

export interface PlatformClientOptions {
  /** e.g. http://10.1.2.3:8080/ysgk (spec 2.1) */
  baseUrl: string
  organ: string
  username: string
  password: string
  requestTimeoutMs: number
  now?: () => number
}

/** A getCheckVehicle that could not produce a verdict: the lane decides without the platform. */
export class PlatformUnavailableError extends Error {
  override name = 'PlatformUnavailableError'
}

const PATHS = {
  getData: '/restapi/transportControl/get_data',
  putData: '/restapi/transportControl/put_data',
  putFile: '/restapi/transportControl/put_file'
} as const

/** Refresh well before the 2-hour lifetime runs out (ERRATA E05). */
const TOKEN_REFRESH_AFTER_MS = 110 * 60 * 1000

const trimmed = z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string())
const loginReplySchema = z.object({ access_token: trimmed.pipe(z.string().min(1).max(50)), datetime: trimmed.optional() })
const checkVehicleValueSchema = z.object({
  isControl: trimmed,
  controlReason: trimmed.default(''),
  emissionStandard: trimmed.default(''),
  fuelType: trimmed.default('')
})

/**
 * The city platform (spec 4.1) over HTTP. Keeps one access token, refreshes it before it expires and once on a 401,
 * and turns every reply into a typed outcome. It never logs or exposes the password or the token.
 */
export class PlatformClient {
  private readonly http: AxiosInstance
  private readonly now: () => number
  private token: { value: string; issuedAt: number } | null = null
  private login: Promise<string> | null = null
  /** Platform clock minus booth clock, from the login reply's datetime (spec 4.1.1). */
  clockOffsetMs: number | null = null

  constructor(private readonly options: PlatformClientOptions) {
    this.now = options.now ?? Date.now
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.requestTimeoutMs,
      headers: { Accept: 'application/json' },
      // Every status is a reply to classify, not an exception.
      validateStatus: () => true,
      // Parse JSON ourselves so an HTML error page or garbage stays a classified outcome.
      transformResponse: [(data: unknown) => data],
      responseType: 'text',
      proxy: false
    })
  }

  /** spec 4.1.3: allowed or controlled, within `timeoutMs`. Throws PlatformUnavailableError when no verdict came. */
  async checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict> {
    const outcome = await this.call(PATHS.getData, 'getCheckVehicle', { license, licenseColor }, timeoutMs)
    if (outcome.kind !== 'ok') throw new PlatformUnavailableError(outcome.reason)
    const value = checkVehicleValueSchema.safeParse((outcome.reply as { value?: unknown }).value)
    if (!value.success) throw new PlatformUnavailableError('getCheckVehicle reply has no usable value')
    return value.data
  }

  /** One put_data record (4.1.4, 4.1.6 …). */
  putData(ipctype: string, value: Record<string, string>): Promise<CallOutcome> {
    return this.call(PATHS.putData, ipctype, value)
  }

  /** spec 4.1.5 over put_file as multipart `file` + `info` (ERRATA E28). */
  putPhoto(value: Record<string, string>, jpeg: Uint8Array, fileName: string): Promise<CallOutcome> {
    return this.call(PATHS.putFile, 'sharePhotoInfo', value, undefined, { jpeg, fileName })
  }

  private async call(
    path: string,
    ipctype: string,
    value: Record<string, string>,
    timeoutMs?: number,
    file?: { jpeg: Uint8Array; fileName: string }
  ): Promise<CallOutcome> {
    for (let attempt = 0; ; attempt++) {
      let token: string
      try {
        token = await this.accessToken()
      } catch (error) {
        return { kind: 'retry', reason: `login failed: ${(error as Error).message}` }
      }
      const envelope = { organ: this.options.organ, ipctype, access_token: token, value }
      const outcome = await this.post(path, envelope, timeoutMs, file)
      if (outcome.kind !== 'reauth' || attempt > 0) return outcome
      this.forgetToken(token)
    }
  }

  private async post(
    path: string,
    envelope: unknown,
    timeoutMs?: number,
    file?: { jpeg: Uint8Array; fileName: string }
  ): Promise<CallOutcome> {
    try {
      const body = file ? multipart(envelope, file) : JSON.stringify(envelope)
      const headers = file ? {} : { 'Content-Type': 'application/json; charset=UTF-8' }
      const response = await this.http.post<string>(path, body, { headers, ...(timeoutMs ? { timeout: timeoutMs } : {}) })
      return classifyReply(response.status, parseJson(response.data))
    } catch (error) {
      return { kind: 'retry', reason: describeNetworkError(error) }
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.now() - this.token.issuedAt < TOKEN_REFRESH_AFTER_MS) return this.token.value
    this.login ??= this.fetchToken().finally(() => {
      this.login = null
    })
    return this.login
  }

  private async fetchToken(): Promise<string> {
    const request = { organ: this.options.organ, ipctype: 'getAccessToken', username: this.options.username, password: this.options.password }
    const outcome = await this.post(PATHS.getData, request)
    if (outcome.kind !== 'ok') throw new Error(outcome.reason)
    const reply = loginReplySchema.safeParse(outcome.reply)
    if (!reply.success) throw new Error('login reply has no access_token')
    const issuedAt = this.now()
    const serverTime = reply.data.datetime ? parseSpecDateTime(reply.data.datetime) : null
    if (serverTime) this.clockOffsetMs = serverTime.getTime() - issuedAt
    this.token = { value: reply.data.access_token, issuedAt }
    return reply.data.access_token
  }

  private forgetToken(token: string): void {
    if (this.token?.value === token) this.token = null
  }
}

function multipart(envelope: unknown, file: { jpeg: Uint8Array; fileName: string }): FormData {
  const form = new FormData()
  form.append('file', new Blob([file.jpeg], { type: 'image/jpeg' }), file.fileName)
  form.append('info', JSON.stringify(envelope))
  return form
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
  if (axios.isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'platform did not answer in time'
    if (error.code === 'ECONNREFUSED') return 'platform refused the connection'
    if (error.code === 'ECONNRESET') return 'platform closed the connection'
    return `network error ${error.code ?? ''}`.trim()
  }
  return `request failed: ${(error as Error).message}`
}
