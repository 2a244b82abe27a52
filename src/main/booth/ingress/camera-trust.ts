import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { AddressList, isLoopbackAddress, normalizeAddress } from '../../core/http/address'

/** What the trust check needs of a lane's camera config. */
export interface LaneCameraTrust {
  laneId: string
  /** IPs and CIDR blocks the lane's camera pushes from; empty: any (then a secret is needed, or loopback only). */
  allowFrom: readonly string[]
  /** The shared secret (key in the URL, HTTP Basic password or Digest password); null when the lane has none. */
  secret: string | null
}

export interface PushCredentials {
  remoteAddress: string
  method: string
  /** The request target as sent (path and query), which a Digest answer signs. */
  target: string
  /** `key` from the push URL's query. */
  key: string | null
  authorization: string | undefined
}

export type TrustVerdict =
  | { ok: true }
  | {
      ok: false
      status: 401 | 403
      /** Why, in Chinese, for the audit log and the alarm. */
      reason: string
      /**
       * A push without any credentials to a lane that has a secret: answered with the challenge (a Digest camera
       * always asks once without), counted against its sender but not alarmed by itself.
       */
      challenge: boolean
    }

const REALM = 'gate-lpr'
/** A Digest nonce is good for this long: a captured answer cannot be replayed later than that. */
const NONCE_LIFETIME_MS = 5 * 60_000

/**
 * Which pushes a lane accepts: from its camera's addresses (`allowFrom`) and/or with its shared secret — as `key` in
 * the URL, the HTTP Basic password (any user name) or an HTTP Digest answer (MD5 or SHA-256, qop=auth). A lane with
 * neither accepts pushes from this machine only (config refuses such a lane when the port is open to the LAN).
 */
export class CameraTrust {
  private readonly lanes: Map<string, { allowFrom: AddressList | null; secret: string | null }>
  private readonly nonceKey = randomBytes(32)

  constructor(
    lanes: readonly LaneCameraTrust[],
    private readonly now: () => number = Date.now
  ) {
    this.lanes = new Map(lanes.map((lane) => [lane.laneId, { allowFrom: lane.allowFrom.length > 0 ? new AddressList(lane.allowFrom) : null, secret: lane.secret }]))
  }

  has(laneId: string): boolean {
    return this.lanes.has(laneId)
  }

  check(laneId: string, credentials: PushCredentials): TrustVerdict {
    const lane = this.lanes.get(laneId)
    if (!lane) return { ok: false, status: 403, reason: `未知车道 ${laneId}`, challenge: false }
    const source = normalizeAddress(credentials.remoteAddress)
    if (lane.allowFrom && !lane.allowFrom.has(source)) {
      return { ok: false, status: 403, reason: `来源地址 ${source} 不在车道 ${laneId} 的摄像机地址（camera.allowFrom）中`, challenge: false }
    }
    if (lane.secret === null) {
      if (lane.allowFrom || isLoopbackAddress(source)) return { ok: true }
      return { ok: false, status: 403, reason: `车道 ${laneId} 未设置摄像机地址或推送密钥，只接受本机推送`, challenge: false }
    }
    return this.checkSecret(lane.secret, credentials)
  }

  /** The WWW-Authenticate challenges sent with a 401. */
  challenges(): string[] {
    return [`Digest realm="${REALM}", qop="auth", algorithm=MD5, nonce="${this.nonce()}"`, `Basic realm="${REALM}", charset="UTF-8"`]
  }

  private checkSecret(secret: string, credentials: PushCredentials): TrustVerdict {
    const refuse = (reason: string, challenge = false): TrustVerdict => ({ ok: false, status: 401, reason, challenge })
    if (credentials.key !== null) return sameSecret(credentials.key, secret) ? { ok: true } : refuse('推送网址中的密钥（key）错误')
    const authorization = credentials.authorization ?? ''
    if (/^basic /i.test(authorization)) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
      const password = decoded.slice(decoded.indexOf(':') + 1)
      return decoded.includes(':') && sameSecret(password, secret) ? { ok: true } : refuse('HTTP Basic 认证的密码错误')
    }
    if (/^digest /i.test(authorization)) return this.checkDigest(authorization, secret, credentials) ? { ok: true } : refuse('HTTP Digest 认证失败（密码错误或认证已过期）')
    return refuse('推送未带密钥或认证信息', true)
  }

  private checkDigest(authorization: string, secret: string, credentials: PushCredentials): boolean {
    const fields = Object.fromEntries([...authorization.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1]!.toLowerCase(), m[2] ?? m[3] ?? '']))
    const { username = '', realm, nonce = '', uri, response = '', qop, nc = '', cnonce = '' } = fields
    if (realm !== REALM || uri !== credentials.target || !this.nonceFresh(nonce)) return false
    const algorithm = (fields.algorithm ?? 'MD5').toUpperCase()
    const hashName = algorithm === 'SHA-256' ? 'sha256' : algorithm === 'MD5' ? 'md5' : null
    if (!hashName) return false
    const hash = (value: string) => createHash(hashName).update(value).digest('hex')
    const ha1 = hash(`${username}:${REALM}:${secret}`)
    const ha2 = hash(`${credentials.method}:${uri}`)
    const expected = qop === 'auth' ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`)
    return sameSecret(response.toLowerCase(), expected)
  }

  /** A nonce carries its own time and a MAC of it: no state to keep, and none older than NONCE_LIFETIME_MS passes. */
  private nonce(at = this.now()): string {
    const time = at.toString(36)
    return `${time}.${createHmac('sha256', this.nonceKey).update(time).digest('hex').slice(0, 32)}`
  }

  private nonceFresh(nonce: string): boolean {
    const [time = ''] = nonce.split('.')
    const at = parseInt(time, 36)
    if (!Number.isFinite(at) || this.now() - at > NONCE_LIFETIME_MS || at > this.now()) return false
    return sameSecret(nonce, this.nonce(at))
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hashed first: equal lengths for timingSafeEqual, and nothing about the secret's length leaks.
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
