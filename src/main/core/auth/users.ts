import type { Role, User } from '@shared/contract'
import { ApiFailure } from '../api/errors'
import { hashPassword } from './passwords'
import type { StoredUser, UserRepo } from './repo'

export class UserExistsError extends ApiFailure {
  override name = 'UserExistsError'
  constructor(message: string) {
    super('invalid_input', message)
  }
}

/** Local booth users: guards and admins, passwords kept only as scrypt hashes. */
export class Users {
  constructor(
    private readonly repo: UserRepo,
    private readonly now: () => number = Date.now
  ) {}

  async add(user: { username: string; name: string; role: Role; password: string }): Promise<User> {
    const passwordHash = await hashPassword(user.password)
    if (!(await this.repo.insert({ username: user.username, name: user.name, role: user.role, passwordHash }, this.now()))) {
      throw new UserExistsError(`用户 ${user.username} 已存在`)
    }
    return withoutHash((await this.repo.find(user.username))!)
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    return this.repo.setPasswordHash(username, await hashPassword(password))
  }

  find(username: string): Promise<StoredUser | null> {
    return this.repo.find(username)
  }

  async list(): Promise<User[]> {
    return (await this.repo.list()).map(withoutHash)
  }

  count(): Promise<number> {
    return this.repo.count()
  }
}

function withoutHash({ username, name, role, createdAt }: StoredUser): User {
  return { username, name, role, createdAt }
}
