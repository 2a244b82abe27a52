import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfigFile, parseConfig } from '../../src/main/core/config'
import { tempDir } from '../integration/support'
import { anyJson, bytesNear, fuzz } from './harness'

const valid = {
  dataDir: '/var/lib/gate',
  platform: { baseUrl: 'http://127.0.0.1:8090/ysgk', username: 'gate01' },
  enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司' },
  lanes: [{ id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' }]
}

/** The valid config with one field (at any depth) replaced by an arbitrary JSON value or removed. */
const mutatedConfig = fc.tuple(fc.nat(), anyJson, fc.boolean()).map(([pick, value, remove]) => {
  const copy = structuredClone(valid) as Record<string, unknown>
  const paths: string[][] = []
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== 'object' || node === null) return
    for (const [key, child] of Object.entries(node)) {
      paths.push([...path, key])
      walk(child, [...path, key])
    }
  }
  walk(copy, [])
  const path = paths[pick % paths.length]!
  let parent: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>
  if (remove) delete parent[path.at(-1)!]
  else parent[path.at(-1)!] = value
  return copy
})

describe('config under fuzzing', () => {
  it('accepts a config or refuses it naming the field, never failing otherwise', async () => {
    let refused = 0
    const tried = await fuzz('config', fc.oneof(anyJson, mutatedConfig), (raw) => {
      try {
        parseConfig(raw, '/tmp')
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        expect(error.message).toMatch(/^invalid config: .+: .+/)
        refused++
      }
    }, 1000)
    expect(tried).toBe(1000)
    expect(refused).toBeGreaterThan(0)
  })

  it('refuses a config file of arbitrary bytes with a ConfigError', async () => {
    const file = join(tempDir('config-fuzz'), 'booth.json')
    const validBytes = new TextEncoder().encode(JSON.stringify(valid))
    const tried = await fuzz('config file bytes', bytesNear([validBytes]), (bytes) => {
      writeFileSync(file, bytes)
      try {
        loadConfigFile(file)
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        expect(error.message).toMatch(/^(invalid config: |config .* is not valid JSON: )/)
      }
    }, 500)
    expect(tried).toBe(500)
  })
})
