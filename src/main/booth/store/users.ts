import type { Role } from '@shared/contract'
import { storedUser, type StoredUser, type UserRepo, type UserRow } from '../../core/auth/repo'
import type { Db } from './db'

/** The users table (username unique, case-insensitive). */
export class SqliteUserRepo implements UserRepo {
  constructor(private readonly db: Db) {}

  async insert(user: { username: string; name: string; role: Role; passwordHash: string }, now: number): Promise<boolean> {
    const result = this.db
      .prepare('INSERT INTO users (username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING')
      .run(user.username, user.name, user.role, user.passwordHash, now)
    return result.changes === 1
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<boolean> {
    return this.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(passwordHash, username).changes === 1
  }

  async find(username: string): Promise<StoredUser | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
    return row ? storedUser(row) : null
  }

  async list(): Promise<StoredUser[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY role, username').all() as UserRow[]).map(storedUser)
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  }
}
