import { createHash, randomBytes } from 'node:crypto'

export class HttpAuthError extends Error {
  override name = 'HttpAuthError'
}

export interface DigestCredentials {
  username: string
  password: string
}

/**
 * GET with HTTP Digest authentication (RFC 7616: MD5 or SHA-256, qop=auth), as cameras protect their snapshot URI;
 * Basic is answered too, for older cameras. One unauthenticated request for the challenge, one with the answer.
 */
export async function fetchWithDigest(url: string, credentials: DigestCredentials, timeoutMs: number): Promise<Buffer> {
  const first = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  if (first.ok) return Buffer.from(await first.arrayBuffer())
  await first.arrayBuffer()
  if (first.status !== 401) throw new Error(`snapshot HTTP ${first.status}`)
  const challenge = first.headers.get('www-authenticate') ?? ''
  const authorization = /^digest /i.test(challenge)
    ? digestAuthorization(challenge, 'GET', new URL(url), credentials)
    : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
  const second = await fetch(url, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(timeoutMs) })
  const body = Buffer.from(await second.arrayBuffer())
  if (second.status === 401) throw new HttpAuthError('snapshot refused the credentials (HTTP 401)')
  if (!second.ok) throw new Error(`snapshot HTTP ${second.status}`)
  return body
}

/** `uri` is the digest-uri: the path and query for HTTP; RTSP servers expect the whole request URL (RFC 2326 §D.2). */
export function digestAuthorization(challenge: string, method: string, url: URL, { username, password }: DigestCredentials, nonceCount = 1, uri = `${url.pathname}${url.search}`): string {
  const fields = Object.fromEntries([...challenge.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1]!.toLowerCase(), m[2] ?? m[3] ?? '']))
  const algorithm = (fields.algorithm ?? 'MD5').toUpperCase()
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5'
  const hash = (value: string) => createHash(hashName).update(value).digest('hex')
  const realm = fields.realm ?? ''
  const nonce = fields.nonce ?? ''
  const qop = (fields.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : ''
  const cnonce = randomBytes(8).toString('hex')
  const nc = nonceCount.toString(16).padStart(8, '0')
  const ha1 = hash(`${username}:${realm}:${password}`)
  const ha2 = hash(`${method}:${uri}`)
  const response = qop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`)
  const parts = [`username="${username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `algorithm=${algorithm}`, `response="${response}"`]
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`)
  if (fields.opaque) parts.push(`opaque="${fields.opaque}"`)
  return `Digest ${parts.join(', ')}`
}

/** A camera's answer to one authenticated request. */
export interface CameraReply {
  status: number
  body: Buffer
  contentType: string
}

/**
 * Requests to one camera's HTTP API with HTTP Digest (RFC 7616 / 2617; Basic for cameras that ask for it). The last
 * challenge is kept and answered up front with a growing nonce count, so a command costs one round trip, not two; a
 * stale or refused nonce (401) is answered once more with the fresh challenge. A second 401 is HttpAuthError.
 */
export class DigestClient {
  private challenge: string | null = null
  private nonceCount = 0

  constructor(
    private readonly credentials: DigestCredentials,
    private readonly timeoutMs: number
  ) {}

  async request(url: string, init: { method?: string; body?: string; contentType?: string } = {}): Promise<CameraReply> {
    const method = init.method ?? 'GET'
    const send = async (authorization: string | null): Promise<Response> => {
      const headers: Record<string, string> = {}
      if (init.contentType) headers['Content-Type'] = init.contentType
      if (authorization) headers.Authorization = authorization
      return fetch(url, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}), signal: AbortSignal.timeout(this.timeoutMs) })
    }
    let reply = await send(this.challenge ? this.answer(method, url) : null)
    if (reply.status === 401) {
      await reply.arrayBuffer()
      const challenge = reply.headers.get('www-authenticate')
      if (!challenge) throw new HttpAuthError('camera answered 401 without a challenge')
      this.challenge = challenge
      this.nonceCount = 0
      reply = await send(this.answer(method, url))
      if (reply.status === 401) {
        await reply.arrayBuffer()
        this.challenge = null
        throw new HttpAuthError('camera refused the credentials (HTTP 401)')
      }
    }
    return { status: reply.status, body: Buffer.from(await reply.arrayBuffer()), contentType: reply.headers.get('content-type') ?? '' }
  }

  private answer(method: string, url: string): string {
    const challenge = this.challenge!
    if (!/^digest /i.test(challenge)) return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`
    this.nonceCount += 1
    return digestAuthorization(challenge, method, new URL(url), this.credentials, this.nonceCount)
  }
}
