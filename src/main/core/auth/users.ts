import type { Role, User } from '@shared/contract'
import type { Db } from '../../booth/store'
import { ApiFailure } from '../api/errors'
import { isoOf } from '../time'
import { hashPassword } from './passwords'

export interface StoredUser extends User {
  id: number
  passwordHash: string
}

interface UserRow {
  id: number
  username: string
  name: string
  role: Role
  password_hash: string
  created_at: number
}

export class UserExistsError extends ApiFailure {
  override name = 'UserExistsError'
  constructor(message: string) {
    super('invalid_input', message)
  }
}

/** Local booth users: guards and admins, passwords kept only as scrypt hashes. */
export class Users {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now
  ) {}

  async add(user: { username: string; name: string; role: Role; password: string }): Promise<User> {
    const passwordHash = await hashPassword(user.password)
    if (this.find(user.username)) throw new UserExistsError(`用户 ${user.username} 已存在`)
    this.db
      .prepare('INSERT INTO users (username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(user.username, user.name, user.role, passwordHash, this.now())
    return this.find(user.username)!
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password)
    return this.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(passwordHash, username).changes === 1
  }

  find(username: string): StoredUser | null {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
    return row ? toUser(row) : null
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY role, username').all() as UserRow[]).map((row) => {
      const { username, name, role, createdAt } = toUser(row)
      return { username, name, role, createdAt }
    })
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  }
}

function toUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: isoOf(row.created_at)
  }
}
