import { authCommands } from '@shared/contract'
import { defineArea, type RootContext } from '../root/area'
import { authHandlers } from './handlers'
import { DEMO_USERS } from './index'
import { Authenticator } from './service'
import { SessionStore } from './sessions'
import { LoginThrottle } from './throttle'
import { Users } from './users'

declare module '../root/area' {
  interface Provided {
    users: Users
    /** Logged-in sessions, shared by the transports (HTTP cookie, Electron webContents). */
    sessions: SessionStore
  }
}

/** Who may do what: users, login under a rate limit, sessions, shift hand-over. Demo mode seeds its two users. */
export const authArea = defineArea({
  name: 'auth',
  needs: ['sharedRepos', 'audit', 'clock'],
  provides: ['users', 'sessions'],
  commands: authCommands,
  async create({ sharedRepos, audit, clock }, { demo }: RootContext<unknown>) {
    const users = new Users(sharedRepos.users, clock)
    const sessions = new SessionStore()
    if (demo && (await users.count()) === 0) for (const user of DEMO_USERS) await users.add(user)
    return {
      provides: { users, sessions },
      handlers: authHandlers({ authenticator: new Authenticator(users, new LoginThrottle(), audit), users, audit })
    }
  }
})
