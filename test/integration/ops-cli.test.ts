import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { addUser, DEMO_GUARD, loggedIn, repoRoot, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from './support'

const password = 'ops-cli-password'
const started: RunningProcess[] = []
afterEach(async () => {
  for (const process of started.splice(0)) await stopProcess(process)
})

function ops(args: string[]) {
  const run = spawnSync(process.execPath, [join(repoRoot, 'out/main/ops.js'), ...args], { encoding: 'utf8' })
  return { status: run.status, output: run.stdout + run.stderr }
}

async function startHost(configFile: string) {
  const host = await startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  started.push(host)
  return { host, guard: await loggedIn(host.url) }
}

describe('npm run backup / restore', () => {
  it('backs up while the booth runs, refuses to restore until it stops, then restores what was backed up', async () => {
    const dataDir = tempDir('ops-cli')
    // The platform is unreachable: passages are decided offline and stay queued.
    const configFile = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk', {
      platform: { baseUrl: 'http://127.0.0.1:9/ysgk', organ: '4110020001', username: 'gate01', verifyBudgetMs: 200, requestTimeoutMs: 200 }
    })
    // The guard is created before the backup, so the restored store still knows them.
    await addUser(dataDir, DEMO_GUARD)
    let { host, guard } = await startHost(configFile)
    const first = (await guard.call('plate.submit', { laneId: 'in1', plate: '豫K11111', colour: '1' })).body.result as Passage

    const backupFile = join(tempDir('ops-cli-backup'), 'booth.bak.sqlite')
    const backup = ops(['backup', '--config', configFile, '--to', backupFile])
    expect(backup.output).toMatch(/backed up \d+ pages/)
    expect(backup.status).toBe(0)

    // Decided offline, the first truck is held for the guard on in1 (no barrier of ours): the second comes on out1.
    await guard.call('plate.submit', { laneId: 'out1', plate: '豫K22222', colour: '1' })
    const refused = ops(['restore', '--config', configFile, '--from', backupFile])
    expect(refused).toMatchObject({ status: 1 })
    expect(refused.output).toContain('程序正在运行')
    expect((await guard.call('passages.list')).body.result).toHaveLength(2)

    await stopProcess(host)
    const restored = ops(['restore', '--config', configFile, '--from', backupFile])
    expect(restored.output).toContain('restored 1 passages')
    expect(restored.status).toBe(0)
    expect(existsSync(join(dataDir, 'booth.lock'))).toBe(false)

    ;({ host, guard } = await startHost(configFile))
    const list = (await guard.call('passages.list')).body.result as Passage[]
    expect(list.map((passage) => passage.lsh)).toEqual([first.lsh])
    expect(list[0]!.upload).toBe('pending')
  })

  it('says how to call it when the arguments are wrong', () => {
    const run = ops(['backup'])
    expect(run.status).toBe(1)
    expect(run.output).toContain('usage:')
  })
})
