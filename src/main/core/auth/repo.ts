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

/** A users row as both stores keep it (SQLite and PostgreSQL). */
export interface UserRow {
  id: number
  username: string
  name: string
  role: Role
  password_hash: string
  created_at: number
}

export function storedUser(row: UserRow): StoredUser {
  return { id: row.id, username: row.username, name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: new Date(row.created_at).toISOString() }
}
