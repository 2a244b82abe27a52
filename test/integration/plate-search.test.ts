import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore, type NewPassage, type Store } from '../../src/main/booth/store'
import { migrations } from '../../src/main/booth/store/migrations'
import { tempDir } from './support'

let store: Store | null = null
afterEach(() => store?.close())

const base = Date.parse('2026-01-01T00:00:00Z')
const passage = (i: number, plate: string, overrides: Partial<NewPassage> = {}): NewPassage => ({
  lsh: `L${i}`,
  laneId: i % 2 === 0 ? 'in1' : 'out1',
  gateCode: '01',
  direction: 'in',
  plate,
  plateColour: '1',
  recognizedAt: base + i * 60_000,
  tgsjq: '2026-01-01 08:00:00',
  tgsjz: '2026-01-01 08:00:00',
  decision: i % 3 === 0 ? 'refuse' : 'allow',
  reasonCode: 'platform_allow',
  reasonText: '',
  decidedOffline: false,
  verdict: null,
  bgzt: '1',
  source: 'lpr',
  ...overrides
})

/** What a LIKE over every passage answers: the reference the index must agree with. */
function byScan(s: Store, fragment: string, limit: number, extra = ''): string[] {
  return (
    s.db
      .prepare(`SELECT lsh FROM passages WHERE plate LIKE ? ${extra} ORDER BY recognized_at DESC, id DESC LIMIT ?`)
      .pluck()
      .all(`%${fragment}%`, limit) as string[]
  )
}
const lshs = (s: Store, filter: Parameters<Store['passages']['list']>[0]) => s.passages.list(filter).map((p) => p.lsh)

const regulars = ['豫A12345', '豫A1234D', '豫KD8888挂', '晋A00001', '冀D7K321', '豫A88888']

function seeded(count: number): Store {
  const s = openStore(tempDir('plate-search'))
  s.transaction(() => {
    for (let i = 0; i < count; i++) {
      // A few regulars make most of the traffic; every 7th passage is a one-off plate.
      const plate = i % 7 === 0 ? `鲁B${String(10_000 + i).slice(-5)}` : regulars[i % regulars.length]!
      s.passages.insert(passage(i, plate), base)
    }
  })
  return s
}

describe('plate search by any part of a plate', () => {
  it('answers every fragment as a LIKE over all passages would, common or rare, newest first', () => {
    store = seeded(3000)
    const fragments = ['豫', 'A', '12', '豫A', 'A12', '1234', '豫A1234D', '8888挂', '挂', 'D7K', '鲁B1', '鲁B12999', 'Q', 'ZZZ9']
    for (const fragment of fragments) {
      for (const limit of [1, 50, 500]) expect(lshs(store, { limit, plate: fragment }), `${fragment} / ${limit}`).toEqual(byScan(store, fragment, limit))
    }
  })

  it('normalises the fragment (lower case, full width, spaces) and combines it with the other filters', () => {
    store = seeded(500)
    expect(lshs(store, { limit: 50, plate: ' ａ1２3 ' })).toEqual(byScan(store, 'A123', 50))
    expect(lshs(store, { limit: 50, plate: 'kd8', laneId: 'in1' })).toEqual(byScan(store, 'KD8', 50, `AND lane_id = 'in1'`))
    expect(lshs(store, { limit: 50, plate: '88', decision: 'refuse' })).toEqual(byScan(store, '88', 50, `AND decision = 'refuse'`))
    expect(lshs(store, { limit: 20, plate: '%' })).toEqual([])
  })

  it('filters by the camera’s vehicle class (车型), alone, with a plate and with the upload state', () => {
    store = openStore(tempDir('plate-search-class'))
    const s = store
    s.transaction(() => {
      for (let i = 0; i < 60; i++) {
        const vehicleClass = i % 3 === 0 ? 'large_truck' : i % 3 === 1 ? 'car' : null
        s.passages.insert({ ...passage(i, regulars[i % regulars.length]!), vehicleClass }, base)
      }
    })
    const byClass = (extra: string, limit: number) =>
      s.db.prepare(`SELECT lsh FROM passages WHERE vehicle_class = 'large_truck' ${extra} ORDER BY recognized_at DESC, id DESC LIMIT ?`).pluck().all(limit) as string[]
    expect(lshs(s, { limit: 50, vehicleClass: 'large_truck' })).toEqual(byClass('', 50))
    expect(lshs(s, { limit: 50, vehicleClass: 'large_truck', plate: 'A12' })).toEqual(byClass(`AND plate LIKE '%A12%'`, 50))
    // No outbox rows here: every passage counts as uploaded.
    expect(lshs(s, { limit: 50, vehicleClass: 'large_truck', upload: 'uploaded' })).toEqual(byClass('', 50))
    expect(s.passages.list({ limit: 500, vehicleClass: 'car' }).every((p) => p.vehicleClass === 'car')).toBe(true)
    expect(lshs(s, { limit: 500, vehicleClass: 'bus' })).toEqual([])
  })

  it('follows a corrected plate and forgets deleted passages', () => {
    store = seeded(100)
    const id = store.passages.idByLsh('L1')!
    store.passages.correctPlate(id, '陕C99Z99', '1')
    expect(lshs(store, { limit: 10, plate: '9Z9' })).toEqual(['L1'])
    expect(lshs(store, { limit: 500, plate: regulars[1]! })).toEqual(byScan(store, regulars[1]!, 500))
    store.db.prepare(`DELETE FROM passages WHERE plate = '陕C99Z99'`).run()
    expect(lshs(store, { limit: 10, plate: '9Z9' })).toEqual([])
    expect(store.db.prepare(`SELECT passages FROM plates WHERE plate = '陕C99Z99'`).pluck().get()).toBe(0)
  })

  it('indexes the passages already on file when the migration runs', () => {
    const dir = tempDir('plate-search-upgrade')
    const file = join(dir, 'booth.sqlite')
    // A database at the schema before the plate index, with passages in it.
    const old = new Database(file)
    for (let version = 0; version < migrations.length - 1; version++) old.exec(migrations[version]!)
    old.pragma(`user_version = ${migrations.length - 1}`)
    const insert = old.prepare(
      `INSERT INTO passages (lsh, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
                             reason_text, decided_offline, bgzt, source, created_at)
       VALUES (?, 'in1', '01', 'in', ?, '1', ?, '', '', 'allow', '', '', 0, '1', 'lpr', 0)`
    )
    regulars.forEach((plate, i) => insert.run(`old${i}`, plate, base + i))
    old.close()
    store = openStore(dir)
    expect(lshs(store, { limit: 10, plate: '8888' })).toEqual(['old5', 'old2'])
    expect(store.db.prepare('SELECT COUNT(*) FROM plates').pluck().get()).toBe(regulars.length)
  })
})
