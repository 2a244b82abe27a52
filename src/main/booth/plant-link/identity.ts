import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { SecretsFile } from '../../core/secrets'
import type { PlantLinkIdentity } from './client'

const FILE = 'plant-link.json'

const storedSchema = z.object({ url: z.string(), certificatePem: z.string(), fingerprint: z.string(), gateCode: z.string(), boothId: z.string() }).strict()

export class PlantIdentityError extends Error {
  override name = 'PlantIdentityError'
}

/**
 * A booth's enrolment, kept: the plant's address and certificate (public) in dataDir/plant-link.json, the booth's
 * credential in the sealed secrets (never in a plain file).
 */
export async function saveIdentity(dataDir: string, secrets: SecretsFile, identity: PlantLinkIdentity & { boothId: string }): Promise<void> {
  const { credential, ...stored } = identity
  await secrets.set('plantCredential', credential)
  const file = join(dataDir, FILE)
  writeFileSync(`${file}.tmp`, JSON.stringify(storedSchema.parse(stored), null, 2))
  renameSync(`${file}.tmp`, file)
}

export async function loadIdentity(dataDir: string, secrets: SecretsFile): Promise<PlantLinkIdentity & { boothId: string }> {
  const file = join(dataDir, FILE)
  if (!existsSync(file)) throw new PlantIdentityError(`本岗亭尚未注册到工厂服务器（缺少 ${file}）：请先运行 npm run plant -- enrol-booth`)
  const stored = storedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!stored.success) throw new PlantIdentityError(`${file} 内容无效，请重新注册`)
  const credential = await secrets.get('plantCredential')
  if (!credential) throw new PlantIdentityError('本岗亭的工厂凭证不在加密密钥文件中，请重新注册')
  return { ...stored.data, credential }
}
