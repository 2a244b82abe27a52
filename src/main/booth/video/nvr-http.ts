import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { digestAuthorization, type DigestCredentials } from '../devices/camera/digest-fetch'

/** Why a recorder call failed, in Chinese for the admin; `retry` says whether trying again later may help. */
export class NvrError extends Error {
  override name = 'NvrError'
  constructor(
    message: string,
    readonly retry: boolean
  ) {
    super(message)
  }
}

export interface NvrRequest {
  url: URL
  method: 'GET' | 'POST'
  /** An XML request body (ISAPI sends one even with GET). */
  body?: string
  /** Default application/xml (ISAPI); ONVIF's SOAP 1.2 is application/soap+xml. */
  contentType?: string
  credentials: DigestCredentials
  timeoutMs: number
}

/**
 * One request with HTTP Digest authentication (RFC 7616, as recorders demand it; Basic for old ones): the
 * unauthenticated try for the challenge, then the answer. Resolves with the response of status 2xx, unread, for the
 * caller to read as text or stream to a file; any other status is an NvrError.
 */
export async function nvrRequest(options: NvrRequest): Promise<IncomingMessage> {
  return accepted(await nvrExchange(options))
}

/** As nvrRequest, but any status after the authentication is the caller's to read (a SOAP fault comes as 400/500). */
export async function nvrExchange(options: NvrRequest): Promise<IncomingMessage> {
  const first = await send(options, null)
  if (first.statusCode !== 401) return first
  first.resume()
  const challenge = String(first.headers['www-authenticate'] ?? '')
  const authorization = challenge.startsWith('Digest ')
    ? digestAuthorization(challenge, options.method, options.url, options.credentials)
    : `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
  const second = await send(options, authorization)
  if (second.statusCode === 401) {
    second.resume()
    throw new NvrError(UNAUTHORIZED, true)
  }
  return second
}

export const UNAUTHORIZED = '录像机拒绝了用户名或密码（HTTP 401），请检查录像机账号和密码'
export const NO_RECORDING = '录像机上没有该时段的录像（可能已被覆盖，或当时该通道未录像）'

/** A response's text (bounded: a search answer or a SOAP fault, never a video). */
export async function readText(response: IncomingMessage, maxBytes = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).byteLength
      if (size > maxBytes) {
        response.destroy()
        throw new NvrError('录像机的应答过大，无法解析', true)
      }
      chunks.push(chunk as Buffer)
    }
  } catch (error) {
    throw asNvrError(error)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function accepted(response: IncomingMessage): IncomingMessage {
  const status = response.statusCode ?? 0
  if (status >= 200 && status < 300) return response
  response.resume()
  if (status === 404) throw new NvrError('录像机不支持该接口或通道不存在（HTTP 404），请检查录像机类型和通道号', true)
  if (status === 403) throw new NvrError('录像机账号无回放/下载权限（HTTP 403）', true)
  throw new NvrError(`录像机返回错误（HTTP ${status}）`, true)
}

function send(options: NvrRequest, authorization: string | null): Promise<IncomingMessage> {
  const { url, method, body, timeoutMs } = options
  const headers: Record<string, string | number> = {}
  if (authorization) headers.Authorization = authorization
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/xml; charset=UTF-8'
    headers['Content-Length'] = Buffer.byteLength(body)
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, timeout: timeoutMs }, (response) => {
      // From here on the socket timeout guards the body too: a recorder that stalls mid-download is given up.
      resolve(response)
    })
    outgoing.on('timeout', () => outgoing.destroy(new NvrError('录像机响应超时', true)))
    outgoing.on('error', (error) => reject(asNvrError(error)))
    outgoing.end(body)
  })
}

/** Network failures in the admin's words; every one of them may pass, so all are retried. */
export function asNvrError(error: unknown): NvrError {
  if (error instanceof NvrError) return error
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ECONNREFUSED') return new NvrError('无法连接录像机（连接被拒绝），录像机可能未开机或地址有误', true)
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new NvrError('录像机网络不可达，请检查网线和地址', true)
  if (code === 'ETIMEDOUT') return new NvrError('录像机响应超时', true)
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error).message === 'aborted') return new NvrError('录像机中途断开了连接，录像未下载完整', true)
  return new NvrError(`与录像机通信失败（${code ?? (error as Error).message}）`, true)
}
