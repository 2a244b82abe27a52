import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIELD_RULES, platformInterfaces } from '../../src/main/core/platform'
import { RULES } from '../../src/sim/platform/validate'
// @ts-expect-error plain ESM script without types
import { renderPlatformFields } from '../../scripts/gen-platform-fields.mjs'

const specFile = resolve(__dirname, '../../../shared/spec/interfaces.json')

describe('4.1 field tables', () => {
  it('are current with ../shared/spec/interfaces.json', () => {
    expect(existsSync(specFile), `the spec is missing at ${specFile}`).toBe(true)
    const json = JSON.parse(readFileSync(specFile, 'utf8'))
    const committed = readFileSync(resolve(__dirname, '../../src/main/core/platform/spec-fields.generated.ts'), 'utf8')
    expect(renderPlatformFields(json)).toBe(committed)
  })

  it('cover the eight 4.1 interfaces', () => {
    expect(Object.keys(platformInterfaces).sort()).toEqual(
      ['getAccessToken', 'getCheckVehicle', 'shareDrivingRecord', 'shareGoodsRecord', 'shareInnerMHYElec', 'shareInnerVehInfo', 'sharePhotoInfo', 'shareVehInfo'].sort()
    )
  })

  it('agree with the simulator, which reads the same spec along its own path, on every field of every record', () => {
    for (const [ipctype, simRules] of Object.entries(RULES)) {
      const clientFields = FIELD_RULES[ipctype as keyof typeof FIELD_RULES].map((rule) => rule.name).sort()
      expect(clientFields, ipctype).toEqual(Object.keys(simRules).sort())
    }
  })
})
