import type { Role } from '@shared/contract'
import { storedUser, type StoredUser, type UserRepo, type UserRow } from '../../core/auth/repo'
import { recordChange } from './feed'
import { inTransaction, type Pool } from './pool'

/** What a booth needs to let a user log in while the plant is away: the name, role and password hash. */
const feedBody = (row: UserRow) => ({ username: row.username, name: row.name, role: row.role, passwordHash: row.password_hash })

/** The plant's users (username unique regardless of case); every change goes down the feed to the booths. */
export class PgUserRepo implements UserRepo {
  constructor(private readonly pool: Pool) {}

  async insert(user: { username: string; name: string; role: Role; passwordHash: string }, now: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow>(
        `INSERT INTO users (username, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ((lower(username))) DO NOTHING RETURNING *`,
        [user.username, user.name, user.role, user.passwordHash, now]
      )
      if (!rows[0]) return false
      await recordChange(client, 'user', rows[0].username.toLowerCase(), feedBody(rows[0]), now)
      return true
    })
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow>('UPDATE users SET password_hash = $2 WHERE lower(username) = lower($1) RETURNING *', [username, passwordHash])
      if (!rows[0]) return false
      await recordChange(client, 'user', rows[0].username.toLowerCase(), feedBody(rows[0]), Date.now())
      return true
    })
  }

  async find(username: string): Promise<StoredUser | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username])
    return rows[0] ? storedUser(rows[0]) : null
  }

  async list(): Promise<StoredUser[]> {
    return (await this.pool.query<UserRow>('SELECT * FROM users ORDER BY role, username')).rows.map(storedUser)
  }

  async count(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0]!.n
  }
}
