import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { redact, registerSecret, RotatingFile } from '../../src/main/core/log'
import { tempDir } from '../integration/support'

describe('log file rotation', () => {
  it('rotates by size and by day, keeping only the newest maxFiles', () => {
    const dir = tempDir('log')
    let day = '2026-11-24'
    const file = new RotatingFile(dir, 'booth', { maxBytes: 100, maxFiles: 2 }, () => day)
    const line = `${'x'.repeat(39)}\n`
    for (let i = 0; i < 5; i++) file.write(line) // 40 bytes each: rotates after every 2 lines
    day = '2026-11-25'
    file.write(line)
    file.close()
    const files = readdirSync(dir).sort()
    expect(files).toEqual(['booth-2026-11-24-2.log', 'booth-2026-11-24-3.log', 'booth.log'])
    expect(readFileSync(join(dir, 'booth.log'), 'utf8')).toBe(line)
    expect(readFileSync(join(dir, 'booth-2026-11-24-3.log'), 'utf8')).toBe(line)
  })

  it('masks a registered secret wherever it appears in a line', () => {
    registerSecret('s3cret-pass')
    expect(redact('login with s3cret-pass failed; s3cret-pass again')).toBe('login with *** failed; *** again')
    expect(redact('nothing to hide')).toBe('nothing to hide')
  })
})
