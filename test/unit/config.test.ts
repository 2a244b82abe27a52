import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, demoConfig, loadConfigFile, parseConfig } from '../../src/main/core/config'

const valid = {
  dataDir: 'data',
  platform: { baseUrl: 'http://10.0.0.5:8080/ysgk', username: 'gate01' },
  enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司' },
  lanes: [{ id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' }]
}

describe('config', () => {
  it('fills defaults and resolves dataDir against the config folder', () => {
    const config = parseConfig(valid, '/etc/gate')
    expect(config.dataDir).toBe('/etc/gate/data')
    expect(config.host).toEqual({ host: '127.0.0.1', port: 5780 })
    expect(config.platform.verifyBudgetMs).toBe(1500)
    expect(config.platform.passwordEnv).toBe('GATE_PLATFORM_PASSWORD')
    expect(config.lanes[0]!.barrier).toEqual({ kind: 'none' })
  })

  it('names the bad field', () => {
    const bad = { ...valid, lanes: [{ ...valid.lanes[0], gateCode: '1' }] }
    expect(() => parseConfig(bad, '/')).toThrow(/lanes\[0\]\.gateCode: gateCode must be two digits/)
    expect(() => parseConfig({ ...valid, enterprise: { code: '41100', name: 'x' } }, '/')).toThrow(/enterprise\.code/)
    expect(() => parseConfig({ ...valid, platform: { ...valid.platform, password: 'secret' } }, '/')).toThrow(/platform/)
    const twice = { ...valid, lanes: [valid.lanes[0], valid.lanes[0]] }
    expect(() => parseConfig(twice, '/')).toThrow(/duplicate lane id in1/)
  })

  it('reports unreadable and non-JSON files as ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-config-'))
    writeFileSync(join(dir, 'broken.json'), '{ "dataDir": ')
    expect(() => loadConfigFile(join(dir, 'broken.json'))).toThrow(ConfigError)
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/cannot read config/)
  })

  it('has a valid demo config with an entry and an exit lane', () => {
    const config = demoConfig({ dataDir: '/tmp/demo', platformBaseUrl: 'http://127.0.0.1:1/ysgk' })
    expect(config.lanes.map((lane) => lane.direction)).toEqual(['in', 'out'])
  })

  it('opens no external link unless the config lists its https origin', () => {
    expect(parseConfig(valid, '/').shell).toEqual({ openAtLogin: true, externalLinks: [] })
    expect(parseConfig({ ...valid, shell: { externalLinks: ['https://help.plant.example'] } }, '/').shell.externalLinks).toEqual(['https://help.plant.example'])
    expect(() => parseConfig({ ...valid, shell: { externalLinks: ['http://help.plant.example'] } }, '/')).toThrow(/shell\.externalLinks\[0\]: an https origin/)
  })
})
