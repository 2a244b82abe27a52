import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dictionaries } from '@shared/spec'
// @ts-expect-error plain ESM script without types
import { renderTables } from '../../scripts/gen-spec-tables.mjs'

const specFile = resolve(__dirname, '../../../shared/spec/dictionaries.json')

describe('generated spec tables', () => {
  it('are current with ../shared/spec/dictionaries.json', () => {
    expect(existsSync(specFile), `the spec is missing at ${specFile}`).toBe(true)
    const json = JSON.parse(readFileSync(specFile, 'utf8'))
    const committed = readFileSync(resolve(__dirname, '../../src/shared/spec/tables.generated.ts'), 'utf8')
    expect(renderTables(json)).toBe(committed)
  })

  it('hold every code table entry for entry, with the counts the spec gives', () => {
    const json = JSON.parse(readFileSync(specFile, 'utf8'))
    for (const table of json.dictionaries.filter((t: { kind: string }) => t.kind === 'code-table')) {
      const generated = dictionaries[table.key as keyof typeof dictionaries]
      expect(generated.id).toBe(table.id)
      expect(generated.entries).toEqual(table.entries.map(({ code, name }: { code: string; name: string }) => ({ code, name })))
    }
    expect(dictionaries.vehicleType.entries).toHaveLength(158)
    expect(dictionaries.industryType.entries).toHaveLength(53)
    expect(dictionaries.industrySubTypes.entries).toHaveLength(73)
    expect(dictionaries.licenseColor.entries.map((e) => e.code)).toEqual(['0', '1', '2', '3', '4', '5'])
  })
})
