import type { Actor } from '@shared/contract'
import { ApiFailure } from '../api/errors'
import type { AuditLog } from '../audit'
import { hashPassword, verifyPassword } from './passwords'
import type { LoginThrottle } from './throttle'
import type { Users } from './users'

export class AuthError extends ApiFailure {
  override name = 'AuthError'
  constructor(code: 'unauthenticated' | 'rate_limited', message: string) {
    super(code, message)
  }
}

let decoyHash: Promise<string> | null = null
/** Checked when the user does not exist, so the reply takes as long as for a wrong password. */
function decoy(): Promise<string> {
  return (decoyHash ??= hashPassword('decoy-password-never-valid'))
}

/** Checks credentials under the rate limit and logs every outcome; sessions are the transports' business. */
export class Authenticator {
  constructor(
    private readonly users: Users,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog
  ) {}

  async check(username: string, password: string, client: string): Promise<Actor> {
    const waitMs = this.throttle.retryAfterMs(username, client)
    if (waitMs > 0) {
      await this.audit.append({ actor: null, action: 'auth.rate_limited', subject: username, detail: { client } })
      throw new AuthError('rate_limited', `登录失败次数过多，请 ${Math.ceil(waitMs / 60_000)} 分钟后再试`)
    }
    this.throttle.recordFailure(username, client)
    const user = await this.users.find(username)
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoy()))
    if (!user || !valid) {
      await this.audit.append({ actor: null, action: 'auth.login_failed', subject: username, detail: { client } })
      throw new AuthError('unauthenticated', '用户名或密码错误')
    }
    this.throttle.recordSuccess(username, client)
    return { userId: user.username, name: user.name, role: user.role }
  }
}
