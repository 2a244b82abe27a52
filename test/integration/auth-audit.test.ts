import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog, rowHash } from '../../src/main/core/audit'
import { openStore, type Store } from '../../src/main/booth/store'
import { repoRoot, tempDir } from './support'

const guard = { userId: 'guard', name: '门卫', role: 'guard' as const }
let dir: string
let store: Store
let audit: AuditLog

beforeEach(async () => {
  dir = tempDir('audit')
  store = openStore(dir)
  audit = new AuditLog(store.repos.audit)
  await audit.append({ actor: guard, action: 'auth.login' })
  await audit.append({ actor: guard, action: 'lane.release', subject: 'laneId=in1', detail: { input: { reason: 'misread', note: '车牌污损' } } })
  await audit.append({ actor: guard, action: 'auth.logout' })
})
afterEach(() => store.close())

/** Opens the database file as an attacker with file access would, with the append-only triggers removed. */
function tamper(edit: (raw: Database.Database) => void): void {
  store.close()
  const raw = new Database(join(dir, 'booth.sqlite'))
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
  edit(raw)
  raw.close()
  store = openStore(dir)
  audit = new AuditLog(store.repos.audit)
}

function verifyCli(): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/main/shell/cli/audit-verify.ts'), '--data', dir], {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.node.json') },
    encoding: 'utf8'
  })
  return { status: run.status, stdout: run.stdout }
}

describe('the audit log is append-only and hash-chained', () => {
  it('verifies a whole chain, through the API method and the command line', async () => {
    expect(await audit.verify()).toEqual({ ok: true, checked: 3, firstBad: null })
    const cli = verifyCli()
    expect(cli.status).toBe(0)
    expect(cli.stdout).toContain('audit chain ok: 3 rows')
  })

  it('refuses UPDATE and DELETE through SQLite, and the rows survive', async () => {
    expect(() => store.db.prepare("UPDATE audit_log SET detail = '{}' WHERE id = 2").run()).toThrow(/append-only/)
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/)
    expect(await audit.list({ limit: 10 })).toHaveLength(3)
    expect((await audit.list({ limit: 1, action: 'lane.release' }))[0]!.detail).toEqual({ input: { reason: 'misread', note: '车牌污损' } })
  })

  it('detects an altered row and names it', async () => {
    tamper((raw) => raw.exec(`UPDATE audit_log SET detail = '{"input":{"reason":"emergency","note":""}}' WHERE id = 2`))
    expect(await audit.verify()).toMatchObject({ ok: false, firstBad: { id: 2, problem: expect.stringMatching(/altered/) } })
    const cli = verifyCli()
    expect(cli.status).toBe(2)
    expect(cli.stdout).toMatch(/BROKEN at row 2/)
  })

  it('detects a removed row at the row after it', async () => {
    tamper((raw) => raw.exec('DELETE FROM audit_log WHERE id = 2'))
    expect(await audit.verify()).toMatchObject({ ok: false, firstBad: { id: 3, problem: expect.stringMatching(/link/) } })
  })

  it('detects a row rewritten with a recomputed own hash, by the next row’s link', async () => {
    tamper((raw) => {
      const row = raw.prepare('SELECT * FROM audit_log WHERE id = 2').get() as { at: number; action: string; subject: string; detail: string; prev_hash: string }
      const actorJson = JSON.stringify({ userId: 'admin', name: '管理员', role: 'admin' })
      const hash = rowHash(row.prev_hash, { id: 2, at: row.at, actorJson, action: row.action, subject: row.subject, detail: row.detail })
      raw.prepare('UPDATE audit_log SET actor_json = ?, hash = ? WHERE id = 2').run(actorJson, hash)
    })
    expect(await audit.verify()).toMatchObject({ ok: false, firstBad: { id: 3, problem: expect.stringMatching(/link/) } })
  })
})
