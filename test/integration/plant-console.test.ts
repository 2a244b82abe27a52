import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { enrolAtPlant, PlantLink } from '../../src/main/booth/plant-link/client'
import { PlantVerifier, ReplicaFollower } from '../../src/main/booth/plant-link/replica'
import { demoConfig } from '../../src/main/core/config'
import { Users } from '../../src/main/core/auth'
import { startPlant, type Plant } from '../../src/main/roles/plant'
import { acceptedRequests, DEMO_PLATFORM, plateRead, startBooth } from './booth'
import { vehicle } from './platform-fixtures'
import { passageUp, plantBrowser, plantConfig, plantTestBed } from './plant-support'
import { eventually, tempDir } from './support'

const bed = plantTestBed()

describe("the plant's admin workspace API on the LAN", () => {
  it('serves the typed API over HTTPS beside the booths\' uplink: login and roles, the enterprise views, booths, ledgers down the feed, dwell alarms, dead letters', async () => {
    const dataDir = tempDir('console-plant')
    const plant: Plant = await startPlant({
      config: {
        dataDir,
        database: { url: bed.cluster.createDatabase('console') },
        platform: { baseUrl: bed.sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'unused', requestTimeoutMs: 2_000 },
        enterprise: { name: '许昌示范钢铁有限公司', companySecretCode: 'SECRET' },
        alarms: { dwellMinutes: 60, checkIntervalMs: 200 },
        listen: { host: '127.0.0.1', port: 0 },
        sync: { concurrency: 1, intervalMs: 200, maxBackoffMs: 1_000, compactAfterDays: 30 }
      },
      platformPassword: DEMO_PLATFORM.password,
      log: () => undefined
    })
    try {
      const users = new Users(plant.store.repos.users)
      await users.add({ username: 'admin', name: '厂级管理员', role: 'admin', password: 'admin-pass-1' })
      await users.add({ username: 'guard', name: '值班门卫', role: 'guard', password: 'guard-pass-1' })
      const ca = readFileSync(join(dataDir, 'tls/plant.crt'), 'utf8')
      const now = Date.now()
      const t0 = now - 3 * 3600_000
      await plant.store.intake.passages('booth-01', [passageUp({ gateCode: '01', direction: 'in', plate: '豫A12121', at: t0 })], now)
      await plant.store.intake.passages('booth-03', [passageUp({ gateCode: '03', direction: 'out', plate: '豫A12121', at: t0 + 42 * 60_000 })], now)
      // Inside for two hours, past the 60-minute limit: a dwell alarm.
      await plant.store.intake.passages('booth-02', [passageUp({ gateCode: '02', direction: 'in', plate: '豫A34343', at: now - 2 * 3600_000 })], now)

      const anonymous = plantBrowser(plant.uplink.url, ca)
      expect(plant.uplink.url).toMatch(/^https:/)
      expect((await anonymous.call('app.info')).body.result).toMatchObject({ plant: true, enterpriseName: '许昌示范钢铁有限公司', lanes: [] })
      expect((await anonymous.call('plant.journal')).status).toBe(401)
      expect((await anonymous.call('auth.login', { username: 'admin', password: 'wrong' })).body.error.message).toBe('用户名或密码错误')

      const guard = plantBrowser(plant.uplink.url, ca)
      const login = await guard.call('auth.login', { username: 'guard', password: 'guard-pass-1' })
      expect(login.status).toBe(200)
      expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly; Secure; SameSite=Strict/)
      const journal = (await guard.call('plant.journal', { plate: '1212' })).body.result
      expect(journal.map((row: any) => [row.gateCode, row.direction, row.passed])).toEqual([
        ['03', 'out', true],
        ['01', 'in', true]
      ])
      expect((await guard.call('plant.journal', { gateCode: '02' })).body.result.map((row: any) => row.plate)).toEqual(['豫A34343'])
      const day = new Date(t0 + 8 * 3600_000).toISOString().slice(0, 10)
      expect((await guard.call('plant.visits', { day, plate: '豫A12121' })).body.result).toEqual([
        expect.objectContaining({ entryGate: '01', exitGate: '03', dwellMs: 42 * 60_000 })
      ])
      expect((await guard.call('plant.presence')).body.result).toEqual([expect.objectContaining({ plate: '豫A34343', gateCode: '02' })])
      const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
      const stats = (await guard.call('plant.statistics', { from: day < today ? day : today, to: today })).body.result
      expect(stats.plant.vehTotal).toBe(3)
      expect(stats.gates.map((gate: any) => [gate.gateCode, gate.vehTotal])).toEqual([
        ['01', 1],
        ['02', 1],
        ['03', 1]
      ])
      expect((await guard.call('plant.enrolmentCode', { gateCode: '02' })).status).toBe(403)
      expect((await guard.call('plant.booths')).status).toBe(403)
      expect((await guard.call('users.list')).status).toBe(403)
      expect((await guard.call('passages.list', {})).body.error.code).toBe('unknown_command')

      // The dwell alarm: raised for the truck inside, resolved once it leaves at any gate.
      const alarm = await eventually('the dwell alarm', async () => (await guard.call('alarms.list', { openOnly: true })).body.result[0])
      expect(alarm).toMatchObject({ kind: 'dwell_overtime', plate: '豫A34343', warningType: '09', resolvedAt: null })
      expect(alarm.message).toContain('02 号门')
      // The workspace's event socket over TLS (wss, the session cookie): the resolved alarm is pushed.
      // Trusting exactly the plant's certificate, which names no host (node's check: undefined is a match; ws types it boolean).
      const pinned = { headers: { Cookie: guard.cookie() }, ca, checkServerIdentity: () => undefined } as unknown as WebSocket.ClientOptions
      const events = new WebSocket(`${plant.uplink.url.replace('https', 'wss')}/api/events`, pinned)
      const pushed: { event: string; payload: any }[] = []
      events.on('message', (data) => pushed.push(JSON.parse(String(data))))
      await new Promise((resolve, reject) => events.once('open', resolve).once('error', reject))
      await plant.store.intake.passages('booth-01', [passageUp({ gateCode: '01', direction: 'out', plate: '豫A34343', at: Date.now() })], Date.now())
      await eventually('the resolved alarm pushed', () => pushed.find((message) => message.event === 'alarm.updated' && message.payload.resolvedAt !== null))
      events.close()
      await eventually('the alarm resolved', async () => ((await guard.call('alarms.list', { openOnly: true })).body.result.length === 0 ? true : undefined))
      expect((await guard.call('alarms.list', {})).body.result[0].resolvedAt).not.toBeNull()

      const admin = plantBrowser(plant.uplink.url, ca)
      await admin.call('auth.login', { username: 'admin', password: 'admin-pass-1' })
      const made = (await admin.call('plant.enrolmentCode', { gateCode: '02' })).body.result
      expect(made).toMatchObject({ gateCode: '02', fingerprint: plant.fingerprint })
      // The booths' uplink on the same port.
      const identity = await enrolAtPlant({ url: plant.uplink.url, fingerprint: made.fingerprint, code: made.code, boothId: 'booth-02' })
      expect(identity.gateCode).toBe('02')
      expect((await admin.call('plant.booths')).body.result.booths).toEqual([expect.objectContaining({ id: 'booth-02', gateCode: '02', revokedAt: null })])
      expect((await admin.call('plant.revokeBooth', { boothId: 'booth-02' })).body.result).toEqual({ revoked: true })

      // An in-plant vehicle filed at the plant: on PostgreSQL, with its history, its upload and its change down the feed.
      const { companySecretCode: _secret, drivingLicenseImg2: _none, ...filing } = vehicle
      const saved = (await admin.call('innerVehicles.save', { ...filing, license: '豫A77001', licenseColor: '1', carStatus: '1' })).body.result
      expect(saved).toMatchObject({ license: '豫A77001', carStatus: '1', drivingLicenseImg: true, updatedBy: '厂级管理员' })
      expect((await admin.call('innerVehicles.list', { plate: '豫A77' })).body.result).toMatchObject({ total: 1, rows: [{ license: '豫A77001' }] })
      const feed = await plant.store.feed.since(0, 100)
      expect(feed.changes).toEqual(expect.arrayContaining([expect.objectContaining({ entity: 'innerVehicle', key: '豫A77001/1', body: expect.objectContaining({ carStatus: '1' }) })]))
      await eventually('the filing at the city', async () => ((await admin.call('ledger.history', { ledger: 'innerVehicles', id: saved.id })).body.result[0]?.upload === 'uploaded' ? true : undefined))

      // Goods of a passage the plant holds, filed here: after that passage's record, at the city.
      const exitRow = journal.find((row: any) => row.gateCode === '03')
      const goods = (await admin.call('goods.record', { passageId: exitRow.id, hwmc: '钢材', ysl: '30' })).body.result
      expect(goods).toMatchObject({ lsh: exitRow.lsh, gateCode: '03', plate: '豫A12121', hwmc: '钢材' })
      expect((await admin.call('goods.list', { plate: '豫A1212' })).body.result).toMatchObject({ total: 1, rows: [{ lsh: exitRow.lsh }] })
      await eventually('the goods at the city', async () => ((await admin.call('goods.list', {})).body.result.rows[0]?.upload === 'uploaded' ? true : undefined))

      // A record pre-flight stops at the plant (a booth sent a bad 通行状态): a dead letter an admin fixes and sends again.
      const bad = passageUp({ gateCode: '02', direction: 'in', plate: '豫A56565', at: Date.now() })
      await plant.store.intake.passages('booth-02', [{ ...bad, record: { ...bad.record, tgzt: '9' } }], Date.now())
      const letter = await eventually('the dead letter', async () => (await admin.call('outbox.deadLetters', {})).body.result.find((row: any) => row.payload.lsh === bad.lsh))
      expect((await guard.call('outbox.fix', { id: letter.id, changes: { tgzt: '1' } })).status).toBe(403)
      expect((await admin.call('outbox.fix', { id: letter.id, changes: { tgzt: '1' } })).body.result).toMatchObject({ requeued: true, problems: [] })
      await eventually('the fixed record at the city', async () => ((await acceptedRequests(bed.sim.url)).some((request) => request.value?.lsh === bad.lsh) ? true : undefined))

      expect((await plant.store.repos.audit.list({ limit: 50 })).map((row) => row.action)).toEqual(
        expect.arrayContaining(['auth.login_failed', 'auth.login', 'plant.enrolmentCode', 'plant.revokeBooth', 'innerVehicles.save', 'outbox.fix'])
      )
    } finally {
      await plant.close()
    }
  })

  it("sets a booth's lane from the plant's workspace: the lanes its booth reported, audited, down the feed, and that booth's lane decides by it", async () => {
    const config = plantConfig(bed.cluster.createDatabase('lane_settings_api'), bed.sim.baseUrl)
    const plant: Plant = await startPlant({ config, platformPassword: DEMO_PLATFORM.password, log: () => undefined })
    const code = await plant.store.booths.createCode('01', 'test', Date.now())
    const link = new PlantLink(await enrolAtPlant({ url: plant.uplink.url, fingerprint: plant.fingerprint, code, boothId: 'booth-01' }), 2_000)
    const dataDir = tempDir('lane-api-booth')
    const booth = await startBooth({ dataDir, platformBaseUrl: bed.sim.baseUrl, startSync: false, verifier: new PlantVerifier(link) })
    // The demo booth's config has lanes at gates 01 and 02; enrolled for gate 01, only that gate's lane is kept.
    const lanes = demoConfig({ dataDir, platformBaseUrl: bed.sim.baseUrl }).lanes.map((lane) => ({ id: lane.id, name: lane.name, direction: lane.direction, gateCode: lane.gateCode }))
    const follower = new ReplicaFollower(link, booth.store.plantReplica, { intervalMs: 60_000, clock: Date.now, log: () => undefined, scope: { gateCodes: ['01'] }, lanes })
    try {
      const users = new Users(plant.store.repos.users)
      await users.add({ username: 'admin', name: '厂级管理员', role: 'admin', password: 'admin-pass-1' })
      await users.add({ username: 'guard', name: '值班门卫', role: 'guard', password: 'guard-pass-1' })
      const ca = readFileSync(join(config.dataDir, 'tls/plant.crt'), 'utf8')
      const admin = plantBrowser(plant.uplink.url, ca)
      const guard = plantBrowser(plant.uplink.url, ca)
      await admin.call('auth.login', { username: 'admin', password: 'admin-pass-1' })
      await guard.call('auth.login', { username: 'guard', password: 'guard-pass-1' })

      expect((await admin.call('plant.laneSettings')).body.result).toEqual([])
      await follower.catchUp()
      expect((await admin.call('plant.laneSettings')).body.result).toEqual([
        { gateCode: '01', laneId: 'in1', name: '1号入口', direction: 'in', allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: false, updatedAt: null, updatedBy: null }
      ])
      const whiteOnly = { gateCode: '01', laneId: 'in1', laneName: '1号入口', allowedColours: ['2', '2'], confirmEveryOpening: false, goodsBeforeExit: false }
      expect((await guard.call('plant.setLaneSettings', whiteOnly)).status).toBe(403)
      expect((await admin.call('plant.setLaneSettings', { ...whiteOnly, gateCode: '02', laneId: 'out1', laneName: '1号出口' })).body.error.code).toBe('unknown_lane')
      expect((await admin.call('plant.setLaneSettings', { ...whiteOnly, goodsBeforeExit: true })).body.error.message).toContain('只有出口车道')
      expect((await admin.call('plant.setLaneSettings', { ...whiteOnly, laneName: '2号入口' })).body.error.code).toBe('invalid_input')
      const saved = (await admin.call('plant.setLaneSettings', whiteOnly)).body.result
      expect(saved).toMatchObject({ gateCode: '01', laneId: 'in1', allowedColours: ['2'], updatedBy: '厂级管理员' })
      expect((await admin.call('plant.laneSettings')).body.result).toEqual([saved])

      // Down the feed to gate 01's booth, whose lane then decides by it.
      expect(await follower.catchUp()).toBe(1)
      expect(booth.store.laneSettings.get('in1')).toMatchObject({ allowedColours: ['2'], updatedBy: '厂级管理员' })
      let at = Date.now() - 600_000
      expect((await booth.record({ ...plateRead('豫A6P001', (at += 5000), []), colour: '1' })).passage).toMatchObject({ decision: 'refuse', reasonCode: 'lane_colour_not_allowed' })
      expect((await booth.record({ ...plateRead('豫A6P002', (at += 5000), []), colour: '2' })).passage.decision).toBe('allow')

      // Audited with who and what (the workspace reads it as 修改门岗车道设置: test/unit/renderer-audit-sentences.test.ts).
      const audited = (await admin.call('audit.list', {})).body.result.filter((entry: any) => entry.action === 'plant.setLaneSettings')
      expect(audited).toEqual([expect.objectContaining({ actor: expect.objectContaining({ name: '厂级管理员' }), subject: 'laneId=in1', detail: { input: { ...whiteOnly } } })])
    } finally {
      await booth.close()
      await plant.close()
    }
  })
})
