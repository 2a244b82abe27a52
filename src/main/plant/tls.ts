import { execFile } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface PlantCertificate {
  key: Buffer
  cert: Buffer
  /** SHA-256 of the certificate (AA:BB:…): what a booth pins at enrolment. */
  fingerprint: string
}

/**
 * The plant's TLS identity: a self-signed certificate made at the first start (openssl, RSA 2048, ten years) and
 * kept in `dir` (the key readable by the owner only), so booths that pinned it keep trusting the plant.
 */
export async function plantCertificate(dir: string, commonName = 'gate-plant'): Promise<PlantCertificate> {
  const keyFile = join(dir, 'plant.key')
  const certFile = join(dir, 'plant.crt')
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const [newKey, newCert] = [`${keyFile}.new`, `${certFile}.new`]
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
      '-subj', `/CN=${commonName}`, '-keyout', newKey, '-out', newCert
    ], { env: { ...process.env, OPENSSL_CONF: '/dev/null' } })
    chmodSync(newKey, 0o600)
    renameSync(newKey, keyFile)
    renameSync(newCert, certFile)
  }
  const cert = readFileSync(certFile)
  return { key: readFileSync(keyFile), cert, fingerprint: new X509Certificate(cert).fingerprint256 }
}
