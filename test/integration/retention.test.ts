import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StorageStatus } from '@shared/contract'
import { backupDatabase, restoreDatabase, retentionCutoff, sweepRetention, validateBackup } from '../../src/main/booth/retention'
import { acquireRunLock, DiskGuard } from '../../src/main/core/retention'
import { openStore, type Store } from '../../src/main/booth/store'
import { migrations } from '../../src/main/booth/store/migrations'
import { tempDir, tinyJpeg } from './support'

let dataDir: string
let store: Store
let seq = 0

/** A passage on `day` with one photo and its two outbox rows, in the state the sync worker would leave them. */
function passageOn(day: string, upload: 'done' | 'pending' | 'dead'): { id: number; photoPath: string } {
  seq++
  return store.transaction(() => {
    const at = Date.parse(`${day}T02:00:00Z`)
    const id = store.passages.insert(
      {
        lsh: `L${seq}`,
        laneId: 'in1',
        gateCode: '01',
        direction: 'in',
        plate: '豫K12345',
        plateColour: '1',
        recognizedAt: at,
        tgsjq: `${day} 10:00:00`,
        tgsjz: `${day} 10:00:00`,
        decision: 'allow',
        reasonCode: 'platform_allow',
        reasonText: '核验通过',
        decidedOffline: false,
        verdict: { isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' },
        bgzt: '1',
        source: 'lpr'
      },
      at
    )
    const file = store.photoFiles.write(day, `L${seq}_1.jpg`, tinyJpeg())
    const photoId = store.photos.insert({ ...file, passageId: id, zpbh: '1', zplx: '1', takenAt: at })
    const record = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: `L${seq}`, passageId: id, payload: {} }, at)
    const photo = store.outbox.add({ kind: 'sharePhotoInfo', idemKey: `L${seq}_1`, passageId: id, photoId, afterId: record, payload: {} }, at)
    store.outbox.markDone(record, {}, at)
    if (upload === 'done') store.outbox.markDone(photo, {}, at)
    if (upload === 'dead') store.outbox.markDead(photo, { reason: '952 refused', reply: {}, fields: [], fixable: true, countAttempt: true })
    return { id, photoPath: join(store.photoFiles.root, file.path) }
  })
}

beforeEach(() => {
  dataDir = tempDir('retention')
  store = openStore(dataDir)
})
afterEach(() => store.close())

describe('retention sweep', () => {
  it('deletes only records and photos older than the cutoff that were uploaded; unsent and dead letters stay', () => {
    const oldSent = passageOn('2025-10-01', 'done')
    const oldPending = passageOn('2025-10-01', 'pending')
    const oldDead = passageOn('2025-10-02', 'dead')
    const oldSentAlone = passageOn('2025-10-03', 'done')
    const recent = passageOn('2026-11-01', 'done')
    const statsBefore = store.db.prepare('SELECT SUM(passages) FROM passage_daily').pluck().get()

    const result = sweepRetention(store, retentionCutoff(new Date('2026-11-25T00:00:00Z'), 12), 1)
    expect(result).toMatchObject({ passagesDeleted: 2, photosDeleted: 2, passagesKeptUnsent: 2, cutoff: '2025-11-25T00:00:00.000Z' })
    const remaining = store.db.prepare('SELECT id FROM passages ORDER BY id').pluck().all()
    expect(remaining).toEqual([oldPending.id, oldDead.id, recent.id])
    expect(existsSync(oldSent.photoPath)).toBe(false)
    expect(existsSync(join(store.photoFiles.root, '2025-10-03'))).toBe(false)
    for (const kept of [oldPending, oldDead, recent]) expect(existsSync(kept.photoPath)).toBe(true)
    expect(existsSync(oldSentAlone.photoPath)).toBe(false)
    expect(store.outbox.counts()).toMatchObject({ pending: 1, dead: 1 })
    // Statistics outlive the records (the rollup is not decremented by the sweep).
    expect(store.db.prepare('SELECT SUM(passages) FROM passage_daily').pluck().get()).toBe(statsBefore)
    expect(store.db.pragma('foreign_key_check')).toEqual([])
  })

  it('computes the cutoff by calendar months, clamped to the end of a short month', () => {
    expect(retentionCutoff(new Date('2026-03-31T12:00:00Z'), 12).toISOString()).toBe('2025-03-31T12:00:00.000Z')
    expect(retentionCutoff(new Date('2026-03-31T12:00:00Z'), 13).toISOString()).toBe('2025-02-28T12:00:00.000Z')
  })
})

describe('disk guard', () => {
  it('reports levels at the thresholds and calls back only when the level changes', () => {
    let free = 50
    const seen: StorageStatus[] = []
    const guard = new DiskGuard({
      dir: dataDir,
      warnFreeBytes: 20,
      criticalFreeBytes: 5,
      intervalMs: 1000,
      onChange: (status) => seen.push(status),
      measure: () => ({ freeBytes: free, totalBytes: 100 })
    })
    guard.check()
    free = 40
    guard.check()
    free = 19
    guard.check()
    free = 4
    guard.check()
    free = 30
    guard.check()
    expect(seen.map((status) => [status.level, status.freeBytes])).toEqual([
      ['ok', 50],
      ['warn', 19],
      ['critical', 4],
      ['ok', 30]
    ])
    expect(seen[2]!.message).toContain('未上传的数据不会被删除')
  })

  it('measures the real file system', () => {
    const status = new DiskGuard({ dir: dataDir, warnFreeBytes: 0, criticalFreeBytes: 0, intervalMs: 1000, onChange: () => {} }).check()
    expect(status.totalBytes).toBeGreaterThan(0)
    expect(status.freeBytes).toBeGreaterThan(0)
    expect(status.level).toBe('ok')
  })
})

describe('backup and restore', () => {
  it('backs up the live database, restores it, and keeps the replaced one', async () => {
    passageOn('2026-11-01', 'done')
    const backup = join(tempDir('backup'), 'booth-backup.sqlite')
    await backupDatabase(dataDir, backup)
    passageOn('2026-11-02', 'pending')
    expect(validateBackup(backup)).toMatchObject({ passages: 1, schemaVersion: migrations.length })
    await expect(backupDatabase(dataDir, backup)).rejects.toThrow(/目标文件已存在/)

    store.close()
    const { keptAs, passages } = restoreDatabase(dataDir, backup)
    expect(passages).toBe(1)
    expect(keptAs && existsSync(keptAs)).toBe(true)
    store = openStore(dataDir)
    expect(store.db.prepare('SELECT COUNT(*) FROM passages').pluck().get()).toBe(1)
  })

  it('refuses to restore while the booth runs, or from a file that is not a booth database; the database stays', () => {
    passageOn('2026-11-01', 'done')
    const garbage = join(tempDir('garbage'), 'not-a-db.sqlite')
    writeFileSync(garbage, 'SQLite format 3\0 but not really')
    const lock = acquireRunLock(dataDir)
    expect(() => restoreDatabase(dataDir, garbage)).toThrow(/程序正在运行/)
    lock.release()
    store.close()
    const before = readFileSync(join(dataDir, 'booth.sqlite'))
    expect(() => restoreDatabase(dataDir, garbage)).toThrow(/不是有效的数据库文件/)
    expect(() => restoreDatabase(dataDir, join(dataDir, 'missing.sqlite'))).toThrow(/备份文件不存在/)
    expect(readFileSync(join(dataDir, 'booth.sqlite'))).toEqual(before)
    store = openStore(dataDir)
  })
})
