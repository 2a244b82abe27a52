import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { SecretsError } from './sealing'

/**
 * Refuses a key file others could read. On POSIX: owned by this user, no group/other permission bits (0600 or
 * stricter). Windows has no mode bits: there the key file relies on the ACLs of the folder it is in.
 */
export function checkKeyFilePermissions(file: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return
  const stats = statSync(file)
  const mode = stats.mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw new SecretsError(`key file ${file} is readable by others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${file}`)
  }
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    throw new SecretsError(`key file ${file} belongs to another user (uid ${stats.uid})`)
  }
}

/** Reads the 32-byte key, after checking its permissions. */
export function readKeyFile(file: string): Buffer {
  try {
    statSync(file)
  } catch {
    throw new SecretsError(`key file ${file} does not exist: set the platform password with npm run secrets -- set-platform-password`)
  }
  checkKeyFilePermissions(file)
  const key = readFileSync(file)
  if (key.length !== 32) throw new SecretsError(`key file ${file} is not a 32-byte key`)
  return key
}

/** Reads the key, creating it (32 random bytes, mode 0600, created exclusively) when there is none yet. */
export function readOrCreateKeyFile(file: string): Buffer {
  mkdirSync(dirname(file), { recursive: true })
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file)
    throw error
  }
  try {
    const key = randomBytes(32)
    writeSync(fd, key)
    if ((fstatSync(fd).mode & 0o077) !== 0 && process.platform !== 'win32') throw new SecretsError(`cannot create ${file} with mode 0600`)
    return key
  } finally {
    closeSync(fd)
  }
}
