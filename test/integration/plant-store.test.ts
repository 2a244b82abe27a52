import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { verifyChain } from '../../src/main/core/audit/chain'
import { openPlantStore, plantMigrations, SPARSE_PLATE_PASSAGES, type PlantStore } from '../../src/main/plant/store'
import { ENTERPRISE, passageUp, photoUp } from './plant-support'
import { startPgCluster, type PgCluster } from './pg-cluster'
import { tempDir } from './support'

let cluster: PgCluster
let url: string
let photosDir: string
let databases = 0
const opened: PlantStore[] = []

beforeAll(async () => {
  cluster = await startPgCluster()
})
afterAll(() => cluster?.stop())

beforeEach(async () => {
  url = cluster.createDatabase(`plant${++databases}`)
  photosDir = tempDir('plant-photos')
  return async () => {
    for (const store of opened.splice(0)) await store.close()
  }
})

async function open(): Promise<PlantStore> {
  const store = await openPlantStore({ connectionString: url, photosDir })
  opened.push(store)
  return store
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(url)
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

const T0 = Date.parse('2026-12-04T01:00:00Z')
const MINUTE = 60_000

describe('plant store on PostgreSQL', () => {
  it('applies its migrations once, records them, and refuses a schema newer than the program', async () => {
    await open()
    await open()
    expect(await sql('SELECT version FROM schema_migrations ORDER BY version')).toEqual(plantMigrations.map((_, i) => ({ version: i + 1 })))
    await sql('INSERT INTO schema_migrations (version) VALUES ($1)', [plantMigrations.length + 5])
    await expect(openPlantStore({ connectionString: url, photosDir })).rejects.toThrow(/newer than this program/)
  })

  it('takes each passage and photo once by key, queues its upload once, and a photo after its own record', async () => {
    const store = await open()
    const entry = passageUp({ gateCode: '01', direction: 'in', plate: '豫A12345', at: T0 })
    expect(await store.intake.photos([photoUp(photosDir, entry, '1', 1)], T0)).toEqual(['unknownPassage'])
    expect(await store.intake.passages('booth-01', [entry], T0)).toEqual(['accepted'])
    expect(await store.intake.passages('booth-01', [entry], T0 + 1)).toEqual(['duplicate'])
    const photo = photoUp(photosDir, entry, '1', 1)
    expect(await store.intake.photos([photo, photo], T0)).toEqual(['accepted', 'duplicate'])
    const rows = await sql<{ id: number; kind: string; idem_key: string; after_id: number | null }>('SELECT id, kind, idem_key, after_id FROM outbox ORDER BY id')
    expect(rows.map((row) => [row.kind, row.idem_key])).toEqual([
      ['shareDrivingRecord', entry.lsh],
      ['sharePhotoInfo', `${entry.lsh}_1`]
    ])
    expect(rows[1]!.after_id).toBe(rows[0]!.id)
    // The photo waits for its record: one claim gives the record only.
    const claimed = await store.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 10, records: true } })
    expect(claimed.map((item) => item.idemKey)).toEqual([entry.lsh])
    expect(claimed[0]!.payload).toEqual(entry.record)
    const next = await store.repos.outbox.commit({
      outcomes: [{ id: claimed[0]!.id, kind: 'done', reply: { code: '200' }, at: T0, resumeBackedOff: false }],
      claim: { now: T0, limit: 10, records: true }
    })
    expect(next.map((item) => item.idemKey)).toEqual([`${entry.lsh}_1`])
    expect(await store.repos.photos.forUpload(next[0]!.photoId!)).toHaveProperty('jpeg')
  })

  it('rolls a batch back whole: a batch that fails half way leaves nothing behind, and its resend is taken', async () => {
    const store = await open()
    const good = passageUp({ gateCode: '02', direction: 'in', plate: '豫A00001', at: T0 })
    const bad = { ...passageUp({ gateCode: '02', direction: 'in', plate: '豫A00002', at: T0 + 1000 }), direction: 'sideways' as 'in' }
    await expect(store.intake.passages('booth-02', [good, bad], T0)).rejects.toThrow()
    expect(await sql('SELECT lsh FROM passages')).toEqual([])
    expect(await sql('SELECT id FROM outbox')).toEqual([])
    expect(await store.intake.passages('booth-02', [good], T0)).toEqual(['accepted'])
  })

  it('shares one outbox between two plant processes: concurrent claims never overlap and every row goes once', async () => {
    const [a, b] = [await open(), await open()]
    const passages = Array.from({ length: 60 }, (_, i) => passageUp({ gateCode: `0${1 + (i % 4)}`, direction: 'in', plate: `豫A${String(10000 + i)}`, at: T0 + i * 1000 }))
    await a.intake.passages('booth-01', passages, T0)
    const sent: string[] = []
    const drain = async (store: PlantStore) => {
      let claimed = await store.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 4, records: true } })
      while (claimed.length > 0) {
        sent.push(...claimed.map((item) => item.idemKey))
        claimed = await store.repos.outbox.commit({
          outcomes: claimed.map((item) => ({ id: item.id, kind: 'done' as const, reply: { code: '200' }, at: T0, resumeBackedOff: false as const })),
          claim: { now: T0, limit: 4, records: true }
        })
      }
    }
    await Promise.all([drain(a), drain(b), drain(a), drain(b)])
    expect(sent.sort()).toEqual(passages.map((p) => p.lsh).sort())
    expect(await a.repos.outbox.counts()).toMatchObject({ pending: 0, dead: 0 })
  })

  it('sends a gate\'s records one at a time in arrival order: a retried record holds the next back, a dead letter steps aside, other gates go on', async () => {
    const store = await open()
    const [a1, a2, a3] = [0, 1, 2].map((i) => passageUp({ gateCode: '01', direction: 'in', plate: `豫A2000${i}`, at: T0 + i * 1000 }))
    const b1 = passageUp({ gateCode: '02', direction: 'in', plate: '豫A20009', at: T0 })
    await store.intake.passages('booth-01', [a1!, a2!, a3!], T0)
    await store.intake.passages('booth-02', [b1], T0)
    const claim = async (outcomes: Parameters<PlantStore['repos']['outbox']['commit']>[0]['outcomes'], now = T0) =>
      store.repos.outbox.commit({ outcomes, claim: { now, limit: 10, records: true } })
    const first = await claim([])
    expect(first.map((item) => item.idemKey)).toEqual([a1!.lsh, b1.lsh])
    // a1 fails for now: a2 waits behind it (also once a2 alone would be due), gate 02 is not held.
    const [a1Row, b1Row] = first
    expect(await claim([{ id: a1Row!.id, kind: 'retry', error: 'down', nextAttemptAt: T0 + MINUTE }, { id: b1Row!.id, kind: 'done', reply: {}, at: T0, resumeBackedOff: false }])).toEqual([])
    const again = await claim([], T0 + MINUTE)
    expect(again.map((item) => item.idemKey)).toEqual([a1!.lsh])
    // a1 refused (a dead letter): it steps aside and a2 goes, then a3 after a2.
    const second = await claim([{ id: again[0]!.id, kind: 'dead', reason: '952', reply: null, fields: [], fixable: true, countAttempt: true }], T0 + MINUTE)
    expect(second.map((item) => item.idemKey)).toEqual([a2!.lsh])
    const third = await claim([{ id: second[0]!.id, kind: 'done', reply: {}, at: T0, resumeBackedOff: false }], T0 + MINUTE)
    expect(third.map((item) => item.idemKey)).toEqual([a3!.lsh])
  })

  it('takes back the claims of a plant process whose connection died, not those of a live one', async () => {
    const [a, b] = [await open(), await open()]
    await a.intake.passages(
      'booth-01',
      // Four gates: each gate's records go one at a time.
      [1, 2, 3, 4].map((i) => passageUp({ gateCode: `0${i}`, direction: 'in', plate: `豫B0000${i}`, at: T0 + i * 1000 })),
      T0
    )
    const byA = await a.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 2, records: true } })
    const byB = await b.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 2, records: true } })
    expect(byA).toHaveLength(2)
    expect(byB).toHaveLength(2)
    expect(await b.repos.outbox.recoverInFlight()).toEqual([])
    // Process a dies: the server ends its connections and so drops its owner lock.
    await sql(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7302 AND objid = $1::bigint::oid AND objsubid = 2`,
      [a.repos.outbox.ownerId]
    )
    const recovered = await b.repos.outbox.recoverInFlight()
    expect(recovered.map((row) => row.idemKey)).toEqual(byA.map((item) => item.idemKey))
    // b's own claims stay b's: its outcome is written; a's late outcome for a row b took over is not.
    await b.repos.outbox.commit({ outcomes: byB.map((item) => ({ id: item.id, kind: 'done' as const, reply: {}, at: T0, resumeBackedOff: false as const })) })
    const again = await b.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 10, records: true } })
    expect(again.map((item) => item.idemKey)).toEqual(byA.map((item) => item.idemKey))
    await a.repos.outbox.commit({ outcomes: byA.map((item) => ({ id: item.id, kind: 'retry' as const, error: 'late', nextAttemptAt: T0 + MINUTE })) })
    expect(await sql(`SELECT count(*)::int AS n FROM outbox WHERE claimed_by = $1`, [b.repos.outbox.ownerId])).toEqual([{ n: 2 }])
  })

  it('keeps dead letters with their reasons, fixes them keeping the original and requeues them', async () => {
    const store = await open()
    const p = passageUp({ gateCode: '01', direction: 'out', plate: '豫C12345', at: T0 })
    await store.intake.passages('booth-01', [p], T0)
    const [item] = await store.repos.outbox.commit({ outcomes: [], claim: { now: T0, limit: 1, records: true } })
    await store.repos.outbox.commit({
      outcomes: [{ id: item!.id, kind: 'dead', reason: '952 号牌颜色错误', reply: { code: '952' }, fields: [{ field: 'cpys', message: '号牌颜色错误' }], fixable: true, countAttempt: true }]
    })
    const [dead] = await store.repos.outbox.deadLetters(10)
    expect(dead).toMatchObject({ idemKey: p.lsh, reason: '952 号牌颜色错误', fields: [{ field: 'cpys' }], fixable: true, attempts: 1 })
    expect((await store.repos.outbox.fix(item!.id, { cpys: '1' }, 'admin', T0))!.payload).toEqual({ ...p.record, cpys: '1' })
    expect(await sql('SELECT original_payload FROM outbox')).toEqual([{ original_payload: p.record }])
    expect(await store.repos.outbox.requeue(item!.id, T0)).toBe(true)
    expect(await store.repos.outbox.nextDueAt()).toBe(T0)
  })

  it('chains the audit log across two processes appending at once', async () => {
    const [a, b] = [await open(), await open()]
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).repos.audit.append({ at: T0 + i, actorJson: null, action: 'test', subject: String(i), detail: '{}' }))
    )
    const rows = await a.repos.audit.page(0, 100)
    expect(rows).toHaveLength(40)
    expect(verifyChain(rows).firstBad).toBeNull()
    await expect(sql(`UPDATE audit_log SET detail = 'x' WHERE id = 1`)).rejects.toThrow(/append-only/)
  })

  it('sends users, lists and control measures down the change feed; a booth catches up from its revision', async () => {
    const store = await open()
    const by = { actorId: '1', actorName: '管理员' }
    expect(await store.repos.users.insert({ username: 'Admin', name: '管理员', role: 'admin', passwordHash: 'h1' }, T0)).toBe(true)
    expect(await store.repos.users.insert({ username: 'admin', name: 'x', role: 'guard', passwordHash: 'h2' }, T0)).toBe(false)
    expect((await store.repos.users.find('ADMIN'))!.username).toBe('Admin')
    await store.repos.policy.addToList('black', '豫A66666', '欠费', by, T0, null)
    const { revision: boothHolds, changes: first } = await store.feed.since(0, 100)
    expect(first.map((change) => [change.entity, change.key])).toEqual([
      ['user', 'admin'],
      ['list', 'black:豫A66666']
    ])
    // While the booth is away: a list entry removed, another added, measures set, a password changed, a vehicle filed.
    await store.repos.policy.removeFromList('black', '豫A66666', by, T0 + 1)
    await store.repos.policy.addToList('white', '豫A88888', '', by, T0 + 2, null)
    await store.repos.policy.setControlMeasures({ level: '2', area: '1', strategy: '3', enterpriseType: '1', measures: '2', note: '' }, by, T0 + 3)
    await store.repos.users.setPasswordHash('admin', 'h3')
    await store.feed.putEntity('innerVehicle', '豫A99999/2', { license: '豫A99999', licenseColor: '2', carStatus: '1' }, '管理员', T0 + 4)
    const back = await store.feed.since(boothHolds, 2)
    expect(back.complete).toBe(false)
    const rest = await store.feed.since(back.revision, 100)
    expect(rest.complete).toBe(true)
    const caughtUp = [...back.changes, ...rest.changes].map((change) => [change.entity, change.key, change.body])
    expect(caughtUp).toEqual([
      ['list', 'black:豫A66666', null],
      ['list', 'white:豫A88888', expect.objectContaining({ plate: '豫A88888', kind: 'white' })],
      ['controlMeasures', '1', expect.objectContaining({ level: '2', updatedBy: '管理员' })],
      ['user', 'admin', { username: 'Admin', name: '管理员', role: 'admin', passwordHash: 'h3' }],
      ['innerVehicle', '豫A99999/2', { license: '豫A99999', licenseColor: '2', carStatus: '1' }]
    ])
    expect(await store.feed.head()).toBe(rest.revision)
    expect(await sql(`SELECT action FROM manual_actions ORDER BY id`)).toEqual(['list_add', 'list_remove', 'list_add', 'set_control_measures'].map((action) => ({ action })))
  })

  it('numbers feed changes in commit order even when writers race', async () => {
    const [a, b] = [await open(), await open()]
    const by = { actorId: null, actorName: '管理员' }
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).repos.policy.addToList('white', `豫A${String(20000 + i)}`, '', by, T0 + i, null)))
    const { changes } = await a.feed.since(0, 100)
    expect(changes).toHaveLength(30)
    expect(changes.map((change) => change.revision)).toEqual([...changes.map((change) => change.revision)].sort((x, y) => x - y))
  })

  it('shows one journal across gates, a visit from gate 01 to gate 03 with its dwell, presence, and counts per lane, gate and plant', async () => {
    const store = await open()
    const truck = '豫A54321'
    const entry = passageUp({ gateCode: '01', direction: 'in', plate: truck, at: T0 })
    const exit = passageUp({ gateCode: '03', direction: 'out', plate: truck, at: T0 + 95 * MINUTE })
    const other = passageUp({ gateCode: '02', direction: 'in', plate: '豫B11111', at: T0 + 10 * MINUTE, emission: '4' })
    const refused = passageUp({ gateCode: '02', direction: 'in', plate: '豫B22222', at: T0 + 11 * MINUTE, bgzt: '0' })
    // The exit arrives first (gate 01's booth was offline): presence still ends up right.
    await store.intake.passages('booth-03', [exit], T0 + 96 * MINUTE)
    await store.intake.passages('booth-02', [other, refused], T0 + 12 * MINUTE)
    await store.intake.passages('booth-01', [entry], T0 + 100 * MINUTE)

    const journal = await store.views.journal({ limit: 10 })
    expect(journal.map((row) => [row.gateCode, row.plate])).toEqual([
      ['01', truck],
      ['02', '豫B22222'],
      ['02', '豫B11111'],
      ['03', truck]
    ])
    expect((await store.views.journal({ plate: '5432', limit: 10 })).map((row) => row.gateCode)).toEqual(['01', '03'])
    expect((await store.views.journal({ gateCode: '02', limit: 1 })).map((row) => row.plate)).toEqual(['豫B22222'])

    const visits = await store.views.visits({ from: T0 - MINUTE, to: T0 + DAY, limit: 10 })
    expect(visits).toEqual([
      { plate: truck, plateColour: '2', entryGate: '01', entryLsh: entry.lsh, entryAt: T0, exitGate: '03', exitLsh: exit.lsh, exitAt: T0 + 95 * MINUTE, dwellMs: 95 * MINUTE },
      expect.objectContaining({ plate: '豫B11111', entryGate: '02', exitGate: null, dwellMs: null })
    ])
    expect((await store.views.presence({ limit: 10 })).map((row) => [row.plate, row.gateCode])).toEqual([['豫B11111', '02']])
    expect(await store.views.presence({ enteredBefore: T0, limit: 10 })).toEqual([])

    const day = '2026-12-04'
    const query = { from: day, to: day, localPlatePrefixes: ['豫A'] }
    const byGate = await store.repos.statistics.countRows(query, 'gate')
    expect(byGate.map((row) => [row.laneId, row.vehTotal, row.enterVehTotal, row.exitVehTotal, row.otherVehEnterTotal, row.standard4EnterTotal])).toEqual([
      ['01', 1, 1, 0, 0, 0],
      ['02', 1, 1, 0, 1, 1],
      ['03', 1, 0, 1, 0, 0]
    ])
    expect((await store.repos.statistics.countRows(query, 'plant')).map((row) => row.vehTotal)).toEqual([3])
    expect((await store.repos.statistics.countRows({ ...query, laneId: '02/in1' })).map((row) => [row.laneId, row.vehTotal])).toEqual([['02/in1', 1]])
  })

  it('finds passages by any part of the plate, among few plates and among many', async () => {
    const store = await open()
    const plates = ['豫A12345', '晋B67890', '豫K1234X']
    await store.intake.passages('booth-01', plates.map((plate, i) => passageUp({ gateCode: '01', direction: 'in', plate, at: T0 + i * MINUTE })), T0)
    const found = async (part: string, gateCode?: string) => (await store.views.journal({ plate: part, gateCode, limit: 10 })).map((row) => row.plate)
    expect(await found('豫')).toEqual(['豫K1234X', '豫A12345'])
    expect(await found('1234')).toEqual(['豫K1234X', '豫A12345'])
    expect(await found('b6')).toEqual(['晋B67890'])
    expect(await found('4X')).toEqual(['豫K1234X'])
    expect(await found('0')).toEqual(['晋B67890'])
    expect(await found('豫A12345')).toEqual(['豫A12345'])
    expect(await found('1234', '02')).toEqual([])
    expect(await found('%')).toEqual([])
    expect(await found('Z9')).toEqual([])
    // Past SPARSE_PLATE_PASSAGES the journal is walked newest first: the same answers.
    await sql(
      `INSERT INTO passages (lsh, booth_id, lane_id, gate_code, direction, plate, plate_colour, recognized_at, tgsjq, tgsjz, decision, reason_code,
         reason_text, decided_offline, bgzt, source, received_at)
       SELECT 'bulk-' || n, 'booth-02', 'in1', '02', 'in', '冀D' || lpad((n % 100)::text, 5, '0'), '2', $1::bigint + n, '', '', 'allow', 'platform_allow', '', false, '1', 'lpr', $1
         FROM generate_series(1, ${SPARSE_PLATE_PASSAGES + 100}) AS n`,
      [T0 + DAY]
    )
    const dense = await store.views.journal({ plate: '冀D', limit: 5 })
    expect(dense.map((row) => row.lsh)).toEqual([0, 1, 2, 3, 4].map((i) => `bulk-${SPARSE_PLATE_PASSAGES + 100 - i}`))
    expect(await found('00042')).toHaveLength(10)
    expect(await found('1234')).toEqual(['豫K1234X', '豫A12345'])
  })

  it('keeps records the city platform accepted before the plant existed as accepted: nothing is sent again', async () => {
    const store = await open()
    const old = passageUp({ gateCode: '01', direction: 'in', plate: '豫D12345', at: T0 })
    const photo = { ...photoUp(photosDir, old, '1', 7), acceptedAt: T0 + 2000 }
    await store.intake.passages('upgrade-01', [{ ...old, acceptedAt: T0 + 1000 }], T0 + DAY)
    expect(await store.intake.photos([photo], T0 + DAY)).toEqual(['accepted'])
    expect(await store.repos.outbox.commit({ outcomes: [], claim: { now: T0 + DAY, limit: 10, records: true } })).toEqual([])
    expect(await sql('SELECT state, done_at::float8 AS done_at FROM outbox ORDER BY id')).toEqual([
      { state: 'done', done_at: T0 + 1000 },
      { state: 'done', done_at: T0 + 2000 }
    ])
    expect(ENTERPRISE.code).toBe(old.lsh.slice(0, 10))
  })
})

const DAY = 24 * 3600_000
