import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// electron-builder's own validation: its JSON schema plus the checks it runs before every build.
import { validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { repoRoot } from '../integration/support'

const load = () => JSON.parse(readFileSync(join(repoRoot, 'electron-builder.json'), 'utf8')) as Record<string, any>

describe('electron-builder configuration', () => {
  it('is valid against electron-builder\'s schema', async () => {
    const config = load()
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('would be refused if it were wrong (the validation is real)', async () => {
    const config = { ...load(), nsis: { ...load().nsis, oneClick: 'no' } }
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/oneClick/)
  })

  it('builds a Windows NSIS installer, a Linux AppImage and deb, with native modules rebuilt and unpacked', () => {
    const config = load()
    expect(config.win.target.map((target: { target: string }) => target.target)).toEqual(['nsis'])
    expect(config.linux.target.map((target: { target: string }) => target.target)).toEqual(['AppImage', 'deb'])
    expect(config.npmRebuild).toBe(true)
    for (const native of ['better-sqlite3', '@serialport', 'sharp']) {
      expect(config.asarUnpack.some((glob: string) => glob.includes(`/node_modules/${native}/`))).toBe(true)
    }
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    expect(pkg.main).toBe('out/main/index.js')
    expect(config.files).toContain('out/**/*')
  })
})
