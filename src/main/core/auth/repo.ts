import type { Role } from '@shared/contract'

export interface StoredUser {
  id: number
  username: string
  name: string
  role: Role
  passwordHash: string
  /** ISO-8601. */
  createdAt: string
}

/**
 * The storage of the booth's users. The booth implements it on SQLite (booth/store/users.ts); the plant will
 * implement it on PostgreSQL. Usernames are unique regardless of case.
 */
export interface UserRepo {
  /** Adds a user; false when the username is taken. */
  insert(user: { username: string; name: string; role: Role; passwordHash: string }, now: number): Promise<boolean>
  setPasswordHash(username: string, passwordHash: string): Promise<boolean>
  find(username: string): Promise<StoredUser | null>
  /** By role, then username. */
  list(): Promise<StoredUser[]>
  count(): Promise<number>
}
