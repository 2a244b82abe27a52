import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveLocalPlatePrefixes } from '../../src/main/core/reports'
import { keyFilePath, keyFileSecrets, resolvePlatformPassword, SecretsError } from '../../src/main/core/secrets'
import { tempDir } from '../integration/support'

describe('where the platform password comes from', () => {
  const config = (dataDir: string) => ({ dataDir, secrets: {}, platform: { passwordEnv: 'GATE_PLATFORM_PASSWORD' } })

  it('takes the environment variable first, then the sealed file', async () => {
    const dataDir = tempDir('resolve')
    const sealed = keyFileSecrets(config(dataDir), { createKey: true })
    await sealed.set('platformPassword', 'from-sealed')
    expect(await resolvePlatformPassword(config(dataDir), { GATE_PLATFORM_PASSWORD: 'from-env' }, () => sealed)).toBe('from-env')
    expect(await resolvePlatformPassword(config(dataDir), { GATE_PLATFORM_PASSWORD: '' }, () => sealed)).toBe('from-sealed')
  })

  it('says both ways to set it when it is nowhere', async () => {
    const dataDir = tempDir('resolve-none')
    const sealed = keyFileSecrets(config(dataDir), { createKey: true })
    const failure = resolvePlatformPassword(config(dataDir), {}, () => sealed)
    await expect(failure).rejects.toThrow(SecretsError)
    await expect(failure).rejects.toThrow(/GATE_PLATFORM_PASSWORD.*npm run secrets -- set-platform-password/)
  })

  it('places the key file in the data folder unless configured', () => {
    expect(keyFilePath({ dataDir: '/data', secrets: {} })).toBe(join('/data', 'secrets.key'))
    expect(keyFilePath({ dataDir: '/data', secrets: { keyFile: 'keys/k' } })).toBe(join('/data', 'keys/k'))
    expect(keyFilePath({ dataDir: '/data', secrets: { keyFile: '/etc/gate/k' } })).toBe('/etc/gate/k')
  })
})

describe('local plate prefixes', () => {
  it('takes the configured ones, else guesses the Henan city from the enterprise code, else none', () => {
    expect(resolveLocalPlatePrefixes('4110020001', ['豫K', '豫'])).toEqual(['豫K', '豫'])
    expect(resolveLocalPlatePrefixes('4110020001', undefined)).toEqual(['豫K'])
    expect(resolveLocalPlatePrefixes('4101000001', [])).toEqual(['豫A'])
    expect(resolveLocalPlatePrefixes('1101000001', undefined)).toEqual([])
  })
})
