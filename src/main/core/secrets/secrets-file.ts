import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { SecretsError, type SecretBox } from './sealing'

/** The names of the secrets the booth keeps. */
export type SecretName = 'platformPassword' | 'plantCredential'

/** A small sealed JSON object of named secrets, rewritten whole (temp file + rename, mode 0600) on every change. */
export class SecretsFile {
  constructor(
    readonly path: string,
    private readonly box: SecretBox
  ) {}

  async readAll(): Promise<Partial<Record<SecretName, string>>> {
    if (!existsSync(this.path)) return {}
    const plain = await this.box.open(readFileSync(this.path))
    try {
      return JSON.parse(plain) as Partial<Record<SecretName, string>>
    } catch {
      throw new SecretsError(`the secrets file ${this.path} holds no valid secrets`)
    }
  }

  async get(name: SecretName): Promise<string | undefined> {
    return (await this.readAll())[name]
  }

  async set(name: SecretName, value: string): Promise<void> {
    const all = { ...(await this.readAll()), [name]: value }
    const temp = `${this.path}.tmp`
    writeFileSync(temp, await this.box.seal(JSON.stringify(all)), { mode: 0o600 })
    renameSync(temp, this.path)
  }
}
