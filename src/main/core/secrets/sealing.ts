import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** Seals secrets at rest. The headless host uses AES-256-GCM with a key file; the Electron shell, safeStorage. */
export interface SecretBox {
  seal(plain: string): Promise<Buffer>
  open(sealed: Buffer): Promise<string>
}

export class SecretsError extends Error {
  override name = 'SecretsError'
}

const MAGIC = Buffer.from('GBS1')
const IV_BYTES = 12
const TAG_BYTES = 16

/** AES-256-GCM: MAGIC | iv | tag | ciphertext. A wrong key or a changed byte fails to open, never decrypts to junk. */
export function aesGcmBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretsError('the secrets key must be 32 bytes')
  return {
    async seal(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body])
    },
    async open(sealed) {
      if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new SecretsError('the secrets file is not a sealed secrets file')
      }
      const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES)
      const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretsError('the secrets file cannot be opened with this key (wrong key file, or the file was changed)')
      }
    }
  }
}
