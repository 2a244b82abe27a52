import type { SessionStore } from '../auth/sessions'
import type { CallContext } from './router'

/**
 * The call context of one request from a client whose session token is `token` (or none): shared by the HTTP host
 * (token in a cookie) and the Electron shell (token per webContents), so both transports log in the same way.
 * `bind` stores the client's new token (null: logged out) where its transport keeps it.
 */
export function sessionContext(sessions: SessionStore, token: string | undefined, client: string, bind: (token: string | null) => void): CallContext {
  let current = token
  const session = () => sessions.get(current)
  return {
    actor: session()?.actor ?? null,
    session: {
      client,
      current: () => session(),
      signIn(actor) {
        if (current) sessions.end(current)
        current = sessions.create(actor)
        bind(current)
      },
      signOut() {
        if (current) sessions.end(current)
        current = undefined
        bind(null)
      }
    }
  }
}
