import { closeSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, Passage } from '@shared/contract'
import { AlarmService } from '../../src/main/core/alarms'
import { openStore } from '../../src/main/booth/store'
import { addUser, ApiSession, eventually, postJson, startProcess, stopProcess, tinyJpeg, writeBoothConfig, type RunningProcess } from './support'
import { mountTmpfs, type Tmpfs } from './tmpfs'

const password = 'disk-full-test-password'
const guard = { username: 'guard', password: 'guard-password', role: 'guard' as const }
const started: RunningProcess[] = []
let disk: Tmpfs

beforeAll(() => {
  disk = mountTmpfs('8m')
})

afterAll(async () => {
  for (const process of started.splice(0)) await stopProcess(process, 'SIGKILL')
  disk.unmount()
})

/** Writes a file until the file system says ENOSPC: the disk is then really full. */
function fillDisk(file: string): number {
  const chunk = Buffer.alloc(64 * 1024, 0x5a)
  const fd = openSync(file, 'w')
  let written = 0
  try {
    for (;;) written += writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
  return written
}

function push(lprUrl: string, plate: string): Promise<{ status: number; body: any }> {
  return postJson(`${lprUrl}/lpr/in1`, { plate, colour: '1', images: { front: tinyJpeg(200_000).toString('base64') } })
}

async function health(hostUrl: string): Promise<any> {
  const response = await fetch(`${hostUrl}/health?format=json`)
  expect(response.status).toBe(200)
  return response.json()
}

describe('a full disk under a running host (a real 8 MiB tmpfs)', () => {
  it('raises the alarm, refuses what it cannot store with a clear error, keeps the rest, and recovers when space returns', async () => {
    const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
    started.push(sim)
    const configFile = writeBoothConfig(disk.dir, `${sim.url}/ysgk`, {
      retention: { diskWarnFreeBytes: 3 * 1024 ** 2, diskCriticalFreeBytes: 2 * 1024 ** 2, diskCheckIntervalMs: 1000 }
    })
    await addUser(disk.dir, guard)
    const host = await startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: password }, /listening /)
    started.push(host)
    const lprUrl = /lpr listening (http:\/\/\S+)/.exec(host.output())![1]!
    const api = new ApiSession(host.url)
    expect((await api.login(guard.username, guard.password)).status).toBe(200)

    const before: string[] = []
    for (const plate of ['豫A10001', '豫A10002']) {
      const reply = await push(lprUrl, plate)
      expect(reply.status).toBe(201)
      before.push(reply.body.lsh)
    }

    const filler = join(disk.dir, 'filler.bin')
    expect(fillDisk(filler)).toBeGreaterThan(0)

    // What cannot be stored is refused, with a message saying why and what to do; the lane keeps deciding.
    for (const plate of ['豫A20001', '豫A20002', '豫A20003']) {
      const reply = await push(lprUrl, plate)
      expect(reply.status).toBeGreaterThanOrEqual(500)
      expect(reply.body.error.message).toMatch(new RegExp(`${plate} 的通行记录未能保存：磁盘空间已满.*清理磁盘`))
    }
    expect(host.child.exitCode).toBeNull()
    // The log file may still have room in its last page: refused pushes (each logged) use it up, then its writes fail.
    await eventually('the log file to meet the full disk', async () => {
      await push(lprUrl, '豫A20009')
      return /log file .* cannot be written \(ENOSPC\)/.test(host.output()) ? true : undefined
    })
    expect(host.child.exitCode).toBeNull()

    // The guard sees the red alarm; /health answers and says the disk is critical.
    const alarm = await eventually('the disk-full alarm', async () => {
      const reply = await api.call('alarms.list', { limit: 20, openOnly: true })
      return (reply.body.result as Alarm[]).find((found) => found.kind === 'disk_full')
    })
    expect(alarm.message).toMatch(/磁盘空间严重不足（剩余 \d+\.\d MB）.*请立即清理/)
    const full = await health(host.url)
    expect(full).toMatchObject({ status: 'degraded', db: { ok: true }, disk: { level: 'critical' } })

    // Nothing recorded before is lost: the passages and their photos read back.
    const listed = (await api.call('passages.list', {})).body.result as Passage[]
    for (const lsh of before) {
      const passage = listed.find((found) => found.lsh === lsh)
      expect(passage).toBeDefined()
      const photos = await api.call('passage.photos', { passageId: passage!.id })
      expect(photos.body.result).toHaveLength(1)
      expect(Buffer.from(photos.body.result[0].jpegBase64, 'base64').length).toBe(200_000)
    }
    expect(listed.some((found) => found.plate.startsWith('豫A2000'))).toBe(false)

    // Space returns: without a restart the booth records again and the log file resumes.
    rmSync(filler)
    await eventually('the disk to be ok again', async () => ((await health(host.url)).disk.level === 'ok' ? true : undefined))
    const after = await push(lprUrl, '豫A30001')
    expect(after.status).toBe(201)
    expect(after.body.outcome).toBe('recorded')
    const again = (await api.call('passages.list', {})).body.result as Passage[]
    expect(again.find((found) => found.lsh === after.body.lsh)).toBeDefined()
    for (const lsh of before) expect(again.find((found) => found.lsh === lsh)).toBeDefined()
    // The log file takes the first line written after its retry pause: the disk guard logs each change of level.
    const warnFiller = join(disk.dir, 'warn.bin')
    await eventually(
      'the log file to resume',
      async () => {
        const { bavail, bsize } = statfsSync(disk.dir)
        writeFileSync(warnFiller, Buffer.alloc(Math.max(0, bavail * bsize - 2.5 * 1024 ** 2)))
        await eventually('the disk guard to warn', async () => ((await health(host.url)).disk.level === 'warn' ? true : undefined))
        rmSync(warnFiller)
        await eventually('the disk guard to be ok', async () => ((await health(host.url)).disk.level === 'ok' ? true : undefined))
        return readFileSync(join(disk.dir, 'logs', 'booth.log'), 'utf8').includes('log file resumed') ? true : undefined
      },
      30_000
    )
    expect(readFileSync(join(disk.dir, 'logs', 'booth.log'), 'utf8')).toMatch(/disk: warn/)
    expect(host.output()).toMatch(/log file .* cannot be written \(ENOSPC\)/)
    expect(host.child.exitCode).toBeNull()
  }, 90_000)
})

describe('an alarm raised while the database cannot be written (a real full tmpfs)', () => {
  it('is shown from memory with a negative id, and stored as soon as the disk has room again', () => {
    const small = mountTmpfs('4m')
    const store = openStore(small.dir)
    try {
      const raised: Alarm[] = []
      const updated: Alarm[] = []
      const alarms = new AlarmService({ store: store.repos.alarms, dwellAlarmMinutes: 240, repeatedRefusals: 3, repeatedRefusalWindowMinutes: 60, onRaised: (a) => raised.push(a), onUpdated: (a) => updated.push(a) })
      const filler = join(small.dir, 'filler.bin')
      fillDisk(filler)

      const shown = alarms.diskFull('磁盘空间严重不足')
      expect(shown).toMatchObject({ kind: 'disk_full', acknowledgedAt: null, message: expect.stringMatching(/^磁盘空间严重不足（此告警暂未能存档：磁盘空间已满/) })
      expect(shown!.id).toBeLessThan(0)
      expect(alarms.diskFull('磁盘空间严重不足')).toBeNull() // one open alarm per kind of trouble, in memory too
      expect(alarms.list(10, true)).toEqual([shown])
      expect(raised).toEqual([shown])

      rmSync(filler)
      alarms.checkDwell() // the minute timer: stores what was kept in memory
      expect(updated).toEqual([expect.objectContaining({ id: shown!.id, acknowledgedBy: '系统' })])
      const stored = raised[1]!
      expect(stored).toMatchObject({ kind: 'disk_full', raisedAt: shown!.raisedAt })
      expect(stored.id).toBeGreaterThan(0)
      expect(alarms.list(10, true).map((a) => a.id)).toEqual([stored.id])
      expect(store.alarms.get(stored.id)).toMatchObject({ kind: 'disk_full', acknowledgedAt: null })
    } finally {
      store.close()
      small.unmount()
    }
  })

  it('acknowledging an alarm kept in memory takes it off the list', () => {
    const small = mountTmpfs('4m')
    const store = openStore(small.dir)
    try {
      const updated: Alarm[] = []
      const alarms = new AlarmService({ store: store.repos.alarms, dwellAlarmMinutes: 240, repeatedRefusals: 3, repeatedRefusalWindowMinutes: 60, onRaised: () => {}, onUpdated: (a) => updated.push(a) })
      fillDisk(join(small.dir, 'filler.bin'))
      const shown = alarms.diskFull('磁盘空间严重不足')!
      const acknowledged = alarms.acknowledge(shown.id, '已清理', { userId: 'g1', name: '张三', role: 'guard' })
      expect(acknowledged).toMatchObject({ id: shown.id, acknowledgedBy: '张三', note: '已清理' })
      expect(updated).toEqual([acknowledged])
      expect(alarms.list(10, true)).toEqual([])
    } finally {
      store.close()
      small.unmount()
    }
  })
})
