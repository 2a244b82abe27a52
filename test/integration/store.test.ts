import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ENTITY_TABLES, openStore, type NewPassage, type Store } from '../../src/main/booth/store'
import { migrations } from '../../src/main/booth/store/migrations'
import { tempDir, tinyJpeg } from './support'

let dataDir: string
let store: Store

const passage = (lsh: string): NewPassage => ({
  lsh,
  laneId: 'in1',
  gateCode: '01',
  direction: 'in',
  plate: '豫A12345',
  plateColour: '1',
  recognizedAt: Date.parse('2026-11-24T01:30:15Z'),
  tgsjq: '2026-11-24 09:30:15',
  tgsjz: '2026-11-24 09:30:15',
  decision: 'allow',
  reasonCode: 'platform_allow',
  reasonText: '核验通过，准予通行',
  decidedOffline: false,
  verdict: { isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' },
  bgzt: '1',
  source: 'manual'
})

beforeEach(() => {
  dataDir = tempDir('store')
  store = openStore(dataDir)
})

afterEach(() => store.close())

describe('store', () => {
  it('creates the schema in WAL mode with every migration applied', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length)
    store.close()
    store = openStore(dataDir)
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length)
  })

  it('has a column for every ledger field, named from the field (the migration spells them; the store derives them)', () => {
    for (const def of Object.values(ENTITY_TABLES)) {
      const columns = new Set((store.db.pragma(`table_info(${def.table})`) as { name: string }[]).map((column) => column.name))
      expect([...Object.values(def.columns), ...Object.values(def.images)].filter((column) => !columns.has(column))).toEqual([])
      expect(Object.keys(def.columns)).toEqual(def.fields)
    }
  })

  it('refuses a database written by a newer program', () => {
    store.close()
    const raw = new Database(join(dataDir, 'booth.sqlite'))
    raw.pragma('user_version = 99')
    raw.close()
    expect(() => openStore(dataDir)).toThrow(/newer than this program/)
    store = openStore(tempDir('store-fresh'))
  })

  it('commits a passage and its outbox row together, or neither', () => {
    expect(() =>
      store.transaction(() => {
        const id = store.passages.insert(passage('411002000101A261124093015'), 1)
        store.outbox.add({ kind: 'shareDrivingRecord', idemKey: '411002000101A261124093015', passageId: id, payload: { lsh: 'x' } }, 1)
        // The same idempotency key twice: the whole write must roll back.
        store.outbox.add({ kind: 'shareDrivingRecord', idemKey: '411002000101A261124093015', passageId: id, payload: { lsh: 'x' } }, 1)
      })
    ).toThrow(/UNIQUE/)
    expect(store.passages.latest(10)).toEqual([])
    expect(store.outbox.counts()).toMatchObject({ pending: 0, dead: 0 })
  })

  it('holds a photo row back until its passage record was accepted', () => {
    const id = store.passages.insert(passage('411002000101A261124093015'), 1)
    const record = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'r', passageId: id, payload: {} }, 1)
    store.outbox.add({ kind: 'sharePhotoInfo', idemKey: 'p', passageId: id, afterId: record, payload: {} }, 1)
    expect(store.outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['r'])
    store.outbox.markRetry(record, 'down', 100)
    expect(store.outbox.due(10, 10)).toEqual([])
    expect(store.passages.get(id)).toMatchObject({ upload: 'pending', uploadError: 'down' })
    store.outbox.markDone(record, { code: '200' }, 200)
    expect(store.outbox.due(200, 10).map((item) => item.idemKey)).toEqual(['p'])
  })

  it('sends rows of one order key one at a time: a retried row holds the next back, a dead letter steps aside', () => {
    const ids = ['a', 'b', 'c'].map((key, i) => store.outbox.add({ kind: 'shareDrivingRecord', idemKey: key, passageId: store.passages.insert(passage(`411002000101A26112409301${i}`), 1), orderKey: '01', payload: {} }, 1))
    const other = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'x', orderKey: '02', payload: {} }, 1)
    expect(store.outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['a', 'x'])
    store.outbox.markRetry(ids[0]!, 'down', 100)
    store.outbox.markDone(other, { code: '200' }, 10)
    expect(store.outbox.due(50, 10)).toEqual([])
    expect(store.outbox.nextDueAt()).toBe(100)
    store.outbox.markDead(ids[0]!, { reason: '952', reply: { code: '952' }, fields: [], fixable: true, countAttempt: true })
    expect(store.outbox.due(50, 10).map((item) => item.idemKey)).toEqual(['b'])
    store.outbox.markDone(ids[1]!, { code: '200' }, 60)
    expect(store.outbox.due(60, 10).map((item) => item.idemKey)).toEqual(['c'])
  })

  it('keeps a row held for its barrier outcome out of its order until released: the next ones go, then it goes ahead of those still waiting', () => {
    const passageIds = [0, 1, 2, 3].map((i) => store.passages.insert(passage(`411002000101A26112409302${i}`), 1))
    const held = store.outbox.addHeld({ kind: 'shareDrivingRecord', idemKey: 'held', passageId: passageIds[0]!, orderKey: '01', payload: {} }, 1)
    const next = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'next', passageId: passageIds[1]!, orderKey: '01', payload: {} }, 1)
    store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'later', passageId: passageIds[2]!, orderKey: '01', payload: {} }, 1)
    expect(store.outbox.due(10, 10).map((item) => item.idemKey)).toEqual(['next'])
    store.outbox.markDone(next, { code: '200' }, 10)
    store.outbox.patchPassage(passageIds[0]!, {}, 20, true)
    expect(store.outbox.due(20, 10).map((item) => item.idemKey)).toEqual(['held'])
    store.outbox.markDone(held, { code: '200' }, 20)
    expect(store.outbox.due(20, 10).map((item) => item.idemKey)).toEqual(['later'])
  })

  it('derives a passage upload state from its rows: a dead letter shows as failed with its reason', () => {
    const id = store.passages.insert(passage('411002000101A261124093015'), 1)
    const row = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'r', passageId: id, payload: {} }, 1)
    store.outbox.markDead(row, { reason: 'platform replied 952 格式校验失败', reply: { code: '952' }, fields: [], fixable: true, countAttempt: true })
    expect(store.passages.get(id)).toMatchObject({ upload: 'failed', uploadError: 'platform replied 952 格式校验失败' })
    expect(store.outbox.counts()).toEqual({ pending: 0, dead: 1, pendingByKind: {}, oldestPendingAt: null })
  })

  it('writes photos by day and detects a file changed on disk', () => {
    const jpeg = tinyJpeg()
    const file = store.photoFiles.write('2026-11-24', '411002000101A261124093015_1.jpg', jpeg)
    expect(file).toMatchObject({ path: join('2026-11-24', '411002000101A261124093015_1.jpg'), bytes: jpeg.length })
    expect(existsSync(join(dataDir, 'photos', file.path))).toBe(true)
    expect(existsSync(join(dataDir, 'photos', `${file.path}.tmp`))).toBe(false)
    expect(store.photoFiles.read(file).equals(jpeg)).toBe(true)
    expect(() => store.photoFiles.read({ ...file, sha256: '0'.repeat(64) })).toThrow(/changed on disk/)
  })
  it("leaves the booth's writes at synchronous FULL around the sync worker's commits (written at NORMAL), a failed one included", async () => {
    const FULL = 2
    const id = store.passages.insert(passage('411002000101A261124093015'), 1)
    const record = store.outbox.add({ kind: 'shareDrivingRecord', idemKey: 'r', passageId: id, payload: {} }, 1)
    const [claimed] = await store.repos.outbox.commit({ outcomes: [], claim: { now: 10, limit: 1, records: true } })
    expect(claimed!.id).toBe(record)
    expect(store.db.pragma('synchronous', { simple: true })).toBe(FULL)
    // A commit that fails (here a reply that cannot be stored) writes nothing and leaves the connection at FULL too.
    await expect(store.repos.outbox.commit({ outcomes: [{ id: record, kind: 'done', reply: 1n, at: 20, resumeBackedOff: false }] })).rejects.toThrow(/BigInt/)
    expect(store.db.pragma('synchronous', { simple: true })).toBe(FULL)
    expect(store.outbox.state(record)).toBe('pending')
    await store.repos.outbox.commit({ outcomes: [{ id: record, kind: 'done', reply: { code: '200' }, at: 30, resumeBackedOff: false }] })
    expect(store.outbox.state(record)).toBe('done')
    expect(store.db.pragma('synchronous', { simple: true })).toBe(FULL)
  })
})
