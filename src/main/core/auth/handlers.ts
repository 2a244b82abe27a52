import type { authCommands, SessionInfo } from '@shared/contract'
import type { AuditLog } from '../audit'
import { ApiFailure } from '../api/errors'
import type { CallContext, Handlers, SessionBinding } from '../api/router'
import { isoOf } from '../time'
import type { Authenticator } from './service'
import type { Users } from './users'

/** Login, logout, shift hand-over and user administration: the commands of the auth area. */
export function authHandlers({ authenticator, users, audit }: { authenticator: Authenticator; users: Users; audit: AuditLog }): Handlers<keyof typeof authCommands> {
  const check = (username: string, password: string, session: SessionBinding) => authenticator.check(username, password, session.client)

  return {
    'auth.login': async ({ username, password }, context) => {
      const session = bindingOf(context)
      const actor = await check(username, password, session)
      if (context.actor) await audit.append({ actor: context.actor, action: 'auth.logout', detail: { reason: 'replaced by a new login' } })
      session.signIn(actor)
      await audit.append({ actor, action: 'auth.login', detail: { client: session.client } })
      return sessionInfo(bindingOf(context))
    },
    'auth.logout': async (_input, context) => {
      const session = bindingOf(context)
      if (context.actor) await audit.append({ actor: context.actor, action: 'auth.logout' })
      session.signOut()
      return { actor: null, since: null }
    },
    'auth.whoami': (_input, context) => (context.session ? sessionInfo(context.session) : { actor: null, since: null }),
    'auth.handover': async ({ username, password, note }, context) => {
      const session = bindingOf(context)
      const outgoing = context.actor!
      if (username.toLowerCase() === outgoing.userId.toLowerCase()) throw new ApiFailure('invalid_input', '接班人不能与交班人相同')
      const incoming = await check(username, password, session)
      session.signIn(incoming)
      await audit.append({ actor: incoming, action: 'shift.handover', subject: outgoing.userId, detail: { from: outgoing, to: incoming, note } })
      return sessionInfo(session)
    },
    'users.list': () => users.list(),
    'users.add': (input) => users.add(input)
  }
}

function bindingOf(context: CallContext): SessionBinding {
  if (!context.session) throw new ApiFailure('unavailable', '此连接不支持登录会话')
  return context.session
}

function sessionInfo(session: SessionBinding): SessionInfo {
  const current = session.current()
  return current ? { actor: current.actor, since: isoOf(current.since) } : { actor: null, since: null }
}
