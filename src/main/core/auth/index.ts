export { SESSION_IDLE_MS, SESSION_MAX_AGE_MS, SessionStore, type Session } from './sessions'
export { DEFAULT_LIMITS, LoginThrottle, type ThrottleLimits } from './throttle'
export type { StoredUser, UserRepo } from './repo'
export { UserExistsError, Users } from './users'

/** Seeded in demo mode only, and shown on the demo login page. */
export const DEMO_USERS = [
  { username: 'guard', name: '演示门卫', role: 'guard', password: 'guard123' },
  { username: 'admin', name: '演示管理员', role: 'admin', password: 'admin123' }
] as const
