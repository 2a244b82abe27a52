import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { lockHolder, processIdentity, type LockProbe } from '../../src/main/core/retention'
import { addUser, DEMO_GUARD, loggedIn, postJson, repoRoot, startProcess, stopProcess, tempDir, tinyJpeg, writeBoothConfig, type RunningProcess } from './support'
import { mountTmpfs, type Tmpfs } from './tmpfs'

const password = 'startup-integrity-password'
const started: RunningProcess[] = []
const others: ChildProcess[] = []
const mounts: Tmpfs[] = []

afterEach(async () => {
  for (const process of started.splice(0)) await stopProcess(process, 'SIGKILL')
  for (const child of others.splice(0)) child.kill('SIGKILL')
})
afterAll(() => {
  for (const mount of mounts.splice(0)) mount.unmount()
})

/** A booth folder with a config whose platform is unreachable (passages are decided offline) and the demo guard. */
async function boothFolder(dataDir = tempDir('startup')): Promise<{ dataDir: string; configFile: string }> {
  const configFile = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk', {
    platform: { baseUrl: 'http://127.0.0.1:9/ysgk', organ: '4110020001', username: 'gate01', verifyBudgetMs: 200, requestTimeoutMs: 200 }
  })
  await addUser(dataDir, DEMO_GUARD)
  return { dataDir, configFile }
}

async function startHost(configFile: string, args: string[] = []): Promise<RunningProcess> {
  const host = await startProcess('host.js', ['--config', configFile, ...args], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  started.push(host)
  return host
}

/** Runs the host expecting it to refuse: exit code, and what it wrote. */
function refusedStart(configFile: string, args: string[] = []): { status: number | null; stderr: string; stdout: string } {
  const run = spawnSync(process.execPath, [join(repoRoot, 'out/main/host.js'), '--config', configFile, ...args], {
    env: { ...process.env, GATE_PLATFORM_PASSWORD: password },
    encoding: 'utf8',
    timeout: 20_000
  })
  return { status: run.status, stderr: run.stderr, stdout: run.stdout }
}

/** One line, in Chinese, naming the fix; no stack trace; exit non-zero. */
function expectRefusal(run: { status: number | null; stderr: string; stdout: string }, ...patterns: RegExp[]): void {
  expect(run.status).toBe(1)
  expect(run.stdout).not.toMatch(/listening/)
  const lines = run.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^无法启动：/)
  expect(run.stderr).not.toMatch(/\n\s+at /)
  for (const pattern of patterns) expect(lines[0]).toMatch(pattern)
}

/** Passages with a photo each, pushed by the camera; returns their lsh. */
async function pushPlates(host: RunningProcess, plates: string[]): Promise<string[]> {
  const lprUrl = /lpr listening (http:\/\/\S+)/.exec(host.output())![1]!
  const lsh: string[] = []
  // Decided offline, each truck is held for the guard on its lane (no barrier of ours): one truck per lane.
  for (const [i, plate] of plates.entries()) {
    const reply = await postJson(`${lprUrl}/lpr/${['in1', 'out1'][i % 2]}`, { plate, colour: '1', images: { front: tinyJpeg(3000).toString('base64') } })
    expect(reply.status).toBe(201)
    lsh.push(reply.body.lsh)
  }
  return lsh
}

function photoFiles(root: string): string[] {
  if (!existsSync(root)) return []
  return (readdirSync(root, { recursive: true }) as string[]).filter((path) => path.endsWith('.jpg')).sort()
}

async function passages(host: RunningProcess): Promise<Passage[]> {
  return (await (await loggedIn(host.url)).call('passages.list', {})).body.result as Passage[]
}

describe('a missing or emptied database beside earlier photos', () => {
  it('is refused naming restore and --accept-empty-database; with the flag it starts empty and quarantines the photos', async () => {
    const { dataDir, configFile } = await boothFolder()
    const host = await startHost(configFile)
    await pushPlates(host, ['豫A51001', '豫A51002'])
    await stopProcess(host)
    const photos = photoFiles(join(dataDir, 'photos'))
    expect(photos).toHaveLength(2)

    rmSync(join(dataDir, 'booth.sqlite'))
    expectRefusal(refusedStart(configFile), /booth\.sqlite 不存在或是空的/, /photos 中的照片/, /npm run restore/, /--accept-empty-database/)
    writeFileSync(join(dataDir, 'booth.sqlite'), '') // emptied rather than deleted: the same
    expectRefusal(refusedStart(configFile), /不存在或是空的/, /--accept-empty-database/)
    expect(photoFiles(join(dataDir, 'photos'))).toEqual(photos)

    const fresh = await startHost(configFile, ['--accept-empty-database'])
    expect(fresh.output()).toMatch(/已按 --accept-empty-database 以空数据库启动/)
    await stopProcess(fresh)
    // Never deleted: every photo is in the quarantine folder, byte for byte.
    expect(photoFiles(join(dataDir, 'photos'))).toEqual([])
    expect(photoFiles(join(dataDir, 'quarantine', 'photos'))).toEqual(photos)
    // Started empty on purpose: the next start is an ordinary one (the new database needs its guard again).
    await addUser(dataDir, DEMO_GUARD)
    const again = await startHost(configFile)
    expect(await passages(again)).toEqual([])
  })

  it('a database that lost every record while photos of several passages remain is refused too', async () => {
    const { dataDir, configFile } = await boothFolder()
    const host = await startHost(configFile)
    await pushPlates(host, ['豫A52001', '豫A52002'])
    await stopProcess(host)
    // Someone "cleaned" the database: the schema and users are there, no passage is.
    rmSync(join(dataDir, 'booth.sqlite'))
    await addUser(dataDir, DEMO_GUARD)
    expectRefusal(refusedStart(configFile), /里没有任何通行记录/, /npm run restore/, /--accept-empty-database/)
  })

  it('a new booth (no database, no photos) starts without a flag', async () => {
    const dataDir = tempDir('startup-new')
    const configFile = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk')
    const host = await startHost(configFile)
    expect(host.child.exitCode).toBeNull()
  })
})

describe('the WAL file gone after a kill', () => {
  it('is refused (saying how much is lost) until the file is put back; the passages are then all there', async () => {
    const { dataDir, configFile } = await boothFolder()
    const host = await startHost(configFile)
    const lsh = await pushPlates(host, ['豫A53001', '豫A53002'])
    await stopProcess(host, 'SIGKILL')
    const wal = join(dataDir, 'booth.sqlite-wal')
    expect(statSync(wal).size).toBeGreaterThan(0)
    const saved = join(tempDir('wal-aside'), 'booth.sqlite-wal')
    copyFileSync(wal, saved)

    rmSync(wal)
    expectRefusal(refusedStart(configFile), /上次没有正常退出/, /预写日志 .*booth\.sqlite-wal 不见了/, /记录（\d+ 页）会丢失/, /找回放回原处/, /npm run restore/, /--accept-missing-wal/)
    copyFileSync(saved, wal)
    const back = await startHost(configFile)
    expect((await passages(back)).map((passage) => passage.lsh).sort()).toEqual(lsh.sort())
  })

  it('without its -shm index either, the lock left by the killed booth still tells; --accept-missing-wal starts anyway', async () => {
    const { dataDir, configFile } = await boothFolder()
    const host = await startHost(configFile)
    await pushPlates(host, ['豫A54001'])
    await stopProcess(host, 'SIGKILL')
    rmSync(join(dataDir, 'booth.sqlite-wal'))
    rmSync(join(dataDir, 'booth.sqlite-shm'))
    expectRefusal(refusedStart(configFile), /预写日志 .* 不见了/, /（数量未知）/, /--accept-missing-wal/)
    const accepted = await startHost(configFile, ['--accept-missing-wal'])
    expect(accepted.output()).toMatch(/已按 --accept-missing-wal 启动/)
  })

  it('a clean stop leaves no WAL and needs nothing; a restore after a kill starts cleanly', async () => {
    const { dataDir, configFile } = await boothFolder()
    let host = await startHost(configFile)
    await pushPlates(host, ['豫A55001'])
    await stopProcess(host)
    expect(existsSync(join(dataDir, 'booth.sqlite-wal'))).toBe(false)
    expect(existsSync(join(dataDir, 'booth.lock'))).toBe(false)
    host = await startHost(configFile)
    const backup = join(tempDir('startup-backup'), 'booth.bak.sqlite')
    expect(spawnSync(process.execPath, [join(repoRoot, 'out/main/ops.js'), 'backup', '--config', configFile, '--to', backup]).status).toBe(0)
    await stopProcess(host, 'SIGKILL')
    expect(spawnSync(process.execPath, [join(repoRoot, 'out/main/ops.js'), 'restore', '--config', configFile, '--from', backup]).status).toBe(0)
    host = await startHost(configFile)
    expect(await passages(host)).toHaveLength(1)
  })
})

describe('a corrupt database', () => {
  it('is refused naming the restore, whether its pages are damaged or it is not a database at all', async () => {
    const { dataDir, configFile } = await boothFolder()
    const host = await startHost(configFile)
    await pushPlates(host, ['豫A56001', '豫A56002'])
    await stopProcess(host)
    const file = join(dataDir, 'booth.sqlite')
    const pageSize = 4096
    // Garbage over every page after the first (the header stays, so it still opens as SQLite).
    const fd = openSync(file, 'r+')
    for (let offset = pageSize; offset < statSync(file).size; offset += pageSize) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, offset)
    closeSync(fd)
    expectRefusal(refusedStart(configFile), /booth\.sqlite 已损坏/, /npm run restore/)

    writeFileSync(file, 'this is not a database, just text that ended up here')
    expectRefusal(refusedStart(configFile), /booth\.sqlite 已损坏/, /npm run restore/)
    expect(readFileSync(file, 'utf8')).toBe('this is not a database, just text that ended up here')
  })

  it('a database newer than this program is refused naming the upgrade', async () => {
    const { dataDir, configFile } = await boothFolder()
    const Database = (await import('better-sqlite3')).default
    const db = new Database(join(dataDir, 'booth.sqlite'))
    db.pragma('user_version = 999')
    db.close()
    expectRefusal(refusedStart(configFile), /版本（999）比本程序（\d+）新/, /安装新版本/)
  })
})

describe('the disk under the data folder (a real tmpfs)', () => {
  it('read-only: refused naming the disk check; writable again, the booth starts', async () => {
    const disk = mountTmpfs('16m')
    mounts.push(disk)
    const { configFile } = await boothFolder(disk.dir)
    disk.remount('ro')
    expectRefusal(refusedStart(configFile), /不可写（磁盘是只读的，EROFS）/, /检查磁盘/)
    disk.remount('rw')
    const host = await startHost(configFile)
    expect(host.child.exitCode).toBeNull()
  })

  it('full at start: SQLite cannot open its WAL index, and the refusal says to clean the disk, not to restore', async () => {
    const disk = mountTmpfs('8m')
    mounts.push(disk)
    const { dataDir, configFile } = await boothFolder(disk.dir)
    const filler = join(dataDir, 'filler.bin')
    const fd = openSync(filler, 'w')
    try {
      for (;;) writeSync(fd, Buffer.alloc(64 * 1024))
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
    } finally {
      closeSync(fd)
    }
    expectRefusal(refusedStart(configFile), /磁盘空间已满，数据库 .* 无法打开/, /请先清理该磁盘/, /不要恢复备份/)
    rmSync(filler)
    const host = await startHost(configFile)
    expect(host.child.exitCode).toBeNull()
  })
})

describe('booth.lock', () => {
  /** A real process of another program (sleep), alive while the test runs. */
  function otherProgram(): number {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' })
    others.push(child)
    return child.pid!
  }

  it('naming a pid another program now has (a different start time) is taken over, with a line saying why', async () => {
    const { dataDir, configFile } = await boothFolder()
    const pid = otherProgram()
    const identity = processIdentity(pid)!
    writeFileSync(join(dataDir, 'booth.lock'), JSON.stringify({ pid, bootId: identity.bootId, startTicks: String(Number(identity.startTicks) - 5000), startedAt: '2026-11-01T08:00:00.000Z' }))
    const host = await startHost(configFile)
    expect(host.output()).toMatch(new RegExp(`took over booth.lock of a booth that did not stop cleanly: 进程号 ${pid} 已被另一个程序重新使用`))
    expect(JSON.parse(readFileSync(join(dataDir, 'booth.lock'), 'utf8'))).toMatchObject({ pid: host.child.pid, database: 'open' })
  })

  it('written before the last reboot (another boot id) is taken over', async () => {
    const { dataDir, configFile } = await boothFolder()
    const pid = otherProgram()
    writeFileSync(join(dataDir, 'booth.lock'), JSON.stringify({ pid, bootId: 'an-earlier-boot', startTicks: processIdentity(pid)!.startTicks, startedAt: '2026-11-01T08:00:00.000Z' }))
    const host = await startHost(configFile)
    expect(host.output()).toMatch(/电脑已重启过/)
  })

  it('of an earlier version (the pid alone) is taken over when that pid started after the lock was written', async () => {
    const { dataDir, configFile } = await boothFolder()
    // An earlier version was killed (its WAL is there) and its pid went to another program.
    await stopProcess(await startHost(configFile), 'SIGKILL')
    const lock = join(dataDir, 'booth.lock')
    writeFileSync(lock, `${otherProgram()}\n`)
    const past = new Date(Date.now() - 3600_000)
    utimesSync(lock, past, past)
    const host = await startHost(configFile)
    expect(host.output()).toMatch(/已被另一个程序重新使用/)
  })

  it('held by a running booth refuses a second one, naming the process and the fix', async () => {
    const { dataDir, configFile } = await boothFolder()
    const first = await startHost(configFile)
    expectRefusal(refusedStart(configFile), new RegExp(`正被另一个岗亭程序使用（进程 ${first.child.pid}，启动于 `), /请先关闭那个程序/, /删除 .*booth\.lock/)
    expect(JSON.parse(readFileSync(join(dataDir, 'booth.lock'), 'utf8')).pid).toBe(first.child.pid)
  })

  it('where the OS cannot tell start times, a lock its holder stopped touching is stale (the heartbeat)', () => {
    const dataDir = tempDir('lock-heartbeat')
    const lock = join(dataDir, 'booth.lock')
    const pid = otherProgram()
    writeFileSync(lock, JSON.stringify({ pid, startedAt: '2026-11-01T08:00:00.000Z' }))
    const noProc: LockProbe = { identity: () => null, alive: () => true, now: () => Date.now() }
    expect(lockHolder(dataDir, noProc)).toMatchObject({ state: 'live' })
    const old = new Date(Date.now() - 10 * 60_000)
    utimesSync(lock, old, old)
    expect(lockHolder(dataDir, noProc)).toMatchObject({ state: 'stale', why: expect.stringMatching(/锁文件已 10 分钟未更新/) })
    truncateSync(lock, 0)
    expect(lockHolder(dataDir, noProc)).toMatchObject({ state: 'stale', why: '锁文件内容无法识别' })
  })
})
