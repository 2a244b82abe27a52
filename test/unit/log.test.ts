import { readdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLog, redact, registerSecret, RotatingFile, startLogFiles, stopLogFiles } from '../../src/main/core/log'
import { beijingIso } from '../../src/main/core/time'
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

  it('never throws when the disk is full: lines are counted, and the file resumes with a note of the gap', () => {
    const dir = tempDir('log-full')
    // booth.log is /dev/full: every write to it fails with a real ENOSPC from the kernel.
    symlinkSync('/dev/full', join(dir, 'booth.log'))
    let now = 1_000_000
    const trouble: string[] = []
    const file = new RotatingFile(dir, 'booth', { maxBytes: 1_000_000, maxFiles: 2 }, () => '2026-11-24', { retryMs: 5_000, now: () => now, onTrouble: (line) => trouble.push(line) })
    expect(() => file.write('first\n')).not.toThrow()
    expect(() => file.write('second\n')).not.toThrow()
    expect(trouble).toEqual([expect.stringMatching(/cannot be written \(ENOSPC\)/)])
    now += 5_000
    file.write('third\n') // retried: still full
    unlinkSync(join(dir, 'booth.log')) // space is back
    now += 4_999
    file.write('fourth\n') // not yet retried
    now += 1
    file.write('fifth\n')
    file.close()
    const lines = readFileSync(join(dir, 'booth.log'), 'utf8').split('\n')
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, src: 'log', msg: expect.stringMatching(/^log file resumed: 4 line\(s\) since .* were not written here \(ENOSPC\)$/) })
    expect(lines.slice(1)).toEqual(['fifth', ''])
    expect(trouble[1]).toMatch(/log file resumed: 4 line/)
  })

  it('a log call does not throw while the structured log file cannot be written', () => {
    const dir = tempDir('log-full-pino')
    symlinkSync('/dev/full', join(dir, 'booth.log'))
    startLogFiles(dir, { maxBytes: 1_000_000, maxFiles: 2 })
    try {
      const log = createLog('test')
      for (let i = 0; i < 3; i++) expect(() => log(`line ${i}`)).not.toThrow()
    } finally {
      stopLogFiles()
    }
  })
})

describe('log time stamps', () => {
  it('are Beijing time with the offset written', () => {
    expect(beijingIso(Date.parse('2026-12-04T18:20:26.123Z'))).toBe('2026-12-05T02:20:26.123+08:00')
    expect(Date.parse(beijingIso(1_764_800_000_000))).toBe(1_764_800_000_000)
  })
})
