import { isAbsolute, join } from 'node:path'
import { readKeyFile, readOrCreateKeyFile } from './key-file'
import { aesGcmBox, SecretsError } from './sealing'
import { SecretsFile } from './secrets-file'

export { checkKeyFilePermissions, readKeyFile, readOrCreateKeyFile } from './key-file'
export { aesGcmBox, SecretsError, type SecretBox } from './sealing'
export { SecretsFile, type SecretName } from './secrets-file'

export interface SecretsLocation {
  dataDir: string
  secrets: { keyFile?: string }
}

/** The key file: configured (relative to the data folder) or dataDir/secrets.key. */
export function keyFilePath(config: SecretsLocation): string {
  const configured = config.secrets.keyFile
  if (!configured) return join(config.dataDir, 'secrets.key')
  return isAbsolute(configured) ? configured : join(config.dataDir, configured)
}

/** The headless host's sealed secrets: dataDir/secrets.sealed, AES-256-GCM under the key file. */
export function keyFileSecrets(config: SecretsLocation, options: { createKey: boolean }): SecretsFile {
  const file = keyFilePath(config)
  const key = options.createKey ? readOrCreateKeyFile(file) : readKeyFile(file)
  return new SecretsFile(join(config.dataDir, 'secrets.sealed'), aesGcmBox(key))
}

/**
 * The platform password: from the environment variable the config names, if set (the original path, kept working);
 * otherwise from the sealed secrets file. Never from the config file.
 */
export async function resolvePlatformPassword(
  config: SecretsLocation & { platform: { passwordEnv: string } },
  env: NodeJS.ProcessEnv,
  sealed: () => SecretsFile
): Promise<string> {
  const fromEnv = env[config.platform.passwordEnv]
  if (fromEnv) return fromEnv
  const password = await sealed().get('platformPassword')
  if (!password) {
    throw new SecretsError(
      `platform password missing: set the environment variable ${config.platform.passwordEnv} or run npm run secrets -- set-platform-password --config FILE`
    )
  }
  return password
}

/** Reads a secret typed or piped on stdin: up to the end of input, without its trailing newline. */
export async function readSecretFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  const value = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  if (!value) throw new SecretsError('no password on stdin')
  return value
}
