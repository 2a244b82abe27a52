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
  const authorization = challenge.startsWith('Digest ')
    ? digestAuthorization(challenge, 'GET', new URL(url), credentials)
    : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
  const second = await fetch(url, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(timeoutMs) })
  const body = Buffer.from(await second.arrayBuffer())
  if (second.status === 401) throw new HttpAuthError('snapshot refused the credentials (HTTP 401)')
  if (!second.ok) throw new Error(`snapshot HTTP ${second.status}`)
  return body
}

export function digestAuthorization(challenge: string, method: string, url: URL, { username, password }: DigestCredentials): string {
  const fields = Object.fromEntries([...challenge.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1]!.toLowerCase(), m[2] ?? m[3] ?? '']))
  const algorithm = (fields.algorithm ?? 'MD5').toUpperCase()
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5'
  const hash = (value: string) => createHash(hashName).update(value).digest('hex')
  const uri = `${url.pathname}${url.search}`
  const realm = fields.realm ?? ''
  const nonce = fields.nonce ?? ''
  const qop = (fields.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : ''
  const cnonce = randomBytes(8).toString('hex')
  const nc = '00000001'
  const ha1 = hash(`${username}:${realm}:${password}`)
  const ha2 = hash(`${method}:${uri}`)
  const response = qop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`)
  const parts = [`username="${username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `algorithm=${algorithm}`, `response="${response}"`]
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`)
  if (fields.opaque) parts.push(`opaque="${fields.opaque}"`)
  return `Digest ${parts.join(', ')}`
}
