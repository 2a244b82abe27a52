import { request } from 'node:https'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolAtPlant } from '../../src/main/booth/plant-link/client'
import { Users } from '../../src/main/core/auth'
import { startPlant, type Plant } from '../../src/main/roles/plant'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { DEMO_PLATFORM } from './booth'
import { startPgCluster, type PgCluster } from './pg-cluster'
import { passageUp } from './plant-support'
import { tempDir } from './support'

let cluster: PgCluster
let sim: PlatformSim

beforeAll(async () => {
  cluster = await startPgCluster()
  sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
})
afterAll(async () => {
  await sim?.close()
  cluster?.stop()
})

/** A browser on the LAN that trusts the plant's certificate (as an admin installs it). */
function browser(base: string, ca: string) {
  let cookie = ''
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, base)
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request(
        { method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, ca, checkServerIdentity: () => undefined, headers: { ...(cookie ? { Cookie: cookie } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}) } },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const set = response.headers['set-cookie']?.[0]
            if (set) cookie = set.split(';')[0]!
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown = text
            try {
              parsed = JSON.parse(text)
            } catch {
              /* the page */
            }
            resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers })
          })
        }
      )
      req.on('error', reject)
      req.end(payload)
    })
}

describe('the plant\'s admin console on the LAN', () => {
  it('serves its page over HTTPS, logs in with roles, shows the enterprise views, and lets an admin make enrolment codes and revoke booths', async () => {
    const dataDir = tempDir('console-plant')
    const plant: Plant = await startPlant({
      config: {
        dataDir,
        database: { url: cluster.createDatabase('console') },
        platform: { baseUrl: sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'unused', requestTimeoutMs: 2_000 },
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
      const t0 = Date.parse('2026-12-04T01:00:00Z')
      await plant.store.intake.passages('booth-01', [passageUp({ gateCode: '01', direction: 'in', plate: '豫A12121', at: t0 })], t0)
      await plant.store.intake.passages('booth-03', [passageUp({ gateCode: '03', direction: 'out', plate: '豫A12121', at: t0 + 42 * 60_000 })], t0)

      const anonymous = browser(plant.uplink.url, ca)
      const page = await anonymous('GET', '/console')
      expect(page.status).toBe(200)
      expect(page.body).toContain('工厂管理控制台')
      expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'")
      expect((await anonymous('GET', '/console/api/journal')).status).toBe(401)
      expect((await anonymous('POST', '/console/api/login', { username: 'admin', password: 'wrong' })).body.error).toBe('用户名或密码错误')

      const guard = browser(plant.uplink.url, ca)
      const login = await guard('POST', '/console/api/login', { username: 'guard', password: 'guard-pass-1' })
      expect(login.status).toBe(200)
      expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly; Secure; SameSite=Strict/)
      expect((await guard('GET', '/console/api/journal?plate=1212')).body.map((row: any) => [row.gateCode, row.direction])).toEqual([
        ['03', 'out'],
        ['01', 'in']
      ])
      expect((await guard('GET', '/console/api/visits?day=2026-12-04')).body).toEqual([expect.objectContaining({ entryGate: '01', exitGate: '03', dwellMs: 42 * 60_000 })])
      expect((await guard('GET', '/console/api/statistics?day=2026-12-04')).body.plant[0].vehTotal).toBe(2)
      expect((await guard('POST', '/console/api/enrolment-codes', { gateCode: '02' })).status).toBe(403)

      const admin = browser(plant.uplink.url, ca)
      await admin('POST', '/console/api/login', { username: 'admin', password: 'admin-pass-1' })
      const made = await admin('POST', '/console/api/enrolment-codes', { gateCode: '02' })
      expect(made.body).toMatchObject({ gateCode: '02', fingerprint: plant.fingerprint })
      const identity = await enrolAtPlant({ url: plant.uplink.url, fingerprint: made.body.fingerprint, code: made.body.code, boothId: 'booth-02' })
      expect(identity.gateCode).toBe('02')
      expect((await admin('POST', '/console/api/revoke', { boothId: 'booth-02' })).body).toEqual({ revoked: true })
      expect((await plant.store.repos.audit.list({ limit: 20 })).map((row) => row.action)).toEqual(
        expect.arrayContaining(['auth.login_failed', 'auth.login', 'plant.enrolment_code', 'plant.booth_revoked'])
      )
    } finally {
      await plant.close()
    }
  })
})
