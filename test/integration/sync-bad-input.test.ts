import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DeadLetterView, Passage } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig } from '../../src/main/core/config'
import type { FieldProblem } from '../../src/main/booth/store'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { acceptedRequests, DEMO_PLATFORM, nthPlate, plateRead, setFault, startBooth, uploadKey, type Booth } from './booth'
import { eventually, tempDir, tinyJpeg } from './support'

let sim: PlatformSim | undefined
let booth: Booth | undefined
let app: SingleGate | undefined

afterEach(async () => {
  await booth?.close()
  await app?.close()
  await sim?.close()
  booth = app = sim = undefined
})

async function drained(target: Booth): Promise<void> {
  await eventually('the worker to settle', async () => {
    const status = await target.sync.status()
    return status.inFlight === 0 && (status.pending === 0 || status.pending === (status.pendingByKind.sharePhotoInfo ?? 0)) ? true : undefined
  })
  await target.sync.idle()
}

async function acceptedKeys(): Promise<string[]> {
  return (await acceptedRequests(sim!.url)).map(uploadKey)
}

/** A small pre-flight check of our own (the platform's full one is wired in by the app): plate and colour. */
function plateAndColour(kind: string, payload: Record<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (!payload.cphm) problems.push({ field: 'cphm', message: '车牌号码不能为空' })
  if (!/^[0-5]$/.test(payload.cpys ?? '')) problems.push({ field: 'cpys', message: `车牌颜色代码无效（${kind}）` })
  return problems
}

describe('bad input ends in a clear state, never a stuck queue', () => {
  it('a photo file damaged on disk becomes a dead letter; its record, the other photo and later passages still go', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const dataDir = tempDir('corrupt')
    booth = await startBooth({ dataDir, platformBaseUrl: sim.baseUrl, startSync: false })
    const { passage } = await booth.record(plateRead(nthPlate(1), Date.now(), [tinyJpeg(3000), tinyJpeg(4000)]))
    const front = booth.store.photos.get(1)!
    writeFileSync(join(dataDir, 'photos', front.path), tinyJpeg(3001)) // same name, other bytes

    void booth.sync.start()
    const later = await booth.record(plateRead(nthPlate(2), Date.now() + 2000, [tinyJpeg(3500)]))
    await drained(booth)

    expect((await acceptedKeys()).sort()).toEqual([passage.lsh, `${passage.lsh}_2`, later.passage.lsh, `${later.passage.lsh}_1`].sort())
    const [dead, ...others] = booth.store.outbox.deadLetters(10)
    expect(others).toEqual([])
    expect(dead).toMatchObject({ idemKey: `${passage.lsh}_1`, fixable: false })
    expect(dead!.reason).toMatch(/照片文件已损坏.*sha256/)
    expect(booth.store.passages.get(passage.id)).toMatchObject({ upload: 'failed' })
    expect(booth.store.passages.get(later.passage.id)).toMatchObject({ upload: 'uploaded' })
    expect(await booth.sync.status()).toMatchObject({ pending: 0, dead: 1 })
  })

  it('a row whose payload no longer validates is stopped by pre-flight with the field named; its photos wait, others go', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    booth = await startBooth({ dataDir: tempDir('preflight'), platformBaseUrl: sim.baseUrl, startSync: false, validate: plateAndColour })
    const bad = await booth.record(plateRead(nthPlate(3), Date.now(), [tinyJpeg(3000)]))
    const good = await booth.record(plateRead(nthPlate(4), Date.now() + 2000, []))
    // The recorded payload is damaged after the fact (an older version's row, a hand edit): it must not go out as is.
    booth.store.db.prepare(`UPDATE outbox SET payload = json_set(payload, '$.cpys', '9') WHERE idem_key = ?`).run(bad.passage.lsh)

    void booth.sync.start()
    await drained(booth)
    expect(await acceptedKeys()).toEqual([good.passage.lsh])
    const [dead] = booth.store.outbox.deadLetters(10)
    expect(dead).toMatchObject({ idemKey: bad.passage.lsh, fixable: true, attempts: 0, fields: [{ field: 'cpys', message: '车牌颜色代码无效（shareDrivingRecord）' }] })
    // Its photo waits for its record instead of going first; the status says so.
    expect(await booth.sync.status()).toMatchObject({ pending: 1, pendingByKind: { sharePhotoInfo: 1 }, dead: 1 })

    booth.store.outbox.fix(dead!.id, { cpys: '1' }, '管理员', Date.now())
    expect(booth.store.outbox.requeue(dead!.id, Date.now())).toBe(true)
    booth.sync.requeued()
    await drained(booth)
    expect((await acceptedKeys()).sort()).toEqual([good.passage.lsh, bad.passage.lsh, `${bad.passage.lsh}_1`].sort())
    expect(await booth.sync.status()).toMatchObject({ pending: 0, dead: 0 })
    const kept = booth.store.db.prepare(`SELECT original_payload, fixed_by FROM outbox WHERE id = ?`).get(dead!.id) as { original_payload: string; fixed_by: string }
    expect(JSON.parse(kept.original_payload)).toMatchObject({ cpys: '9' })
    expect(kept.fixed_by).toBe('管理员')
  })

  it('a disk-full error (ENOSPC) refuses the write with a message and records nothing half; the next plate goes through', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const dataDir = tempDir('enospc')
    // The first photo write goes to /dev/full, whose every write fails with a real ENOSPC from the kernel.
    let diskFull = true
    const writePhotoBytes = (fd: number, bytes: Uint8Array) => {
      if (!diskFull) return void writeSync(fd, bytes)
      diskFull = false
      const full = openSync('/dev/full', 'w')
      try {
        writeSync(full, bytes)
      } finally {
        closeSync(full)
      }
    }
    booth = await startBooth({ dataDir, platformBaseUrl: sim.baseUrl, store: { writePhotoBytes } })
    await expect(booth.record(plateRead(nthPlate(5), Date.now(), [tinyJpeg(3000)]))).rejects.toThrow(/的通行记录未能保存：磁盘空间已满.*请管理员立即清理磁盘/)
    expect(booth.store.passages.latest(10)).toEqual([])
    expect(await booth.sync.status()).toMatchObject({ pending: 0, dead: 0 })
    const day = readdirSync(join(dataDir, 'photos'))[0]!
    expect(readdirSync(join(dataDir, 'photos', day))).toEqual([]) // no .tmp left behind

    const next = await booth.record(plateRead(nthPlate(6), Date.now() + 2000, [tinyJpeg(3000)]))
    await drained(booth)
    expect((await acceptedKeys()).sort()).toEqual([next.passage.lsh, `${next.passage.lsh}_1`].sort())
  })

  it('at start, photo files without a row are moved to the quarantine folder and pending photos whose file vanished become dead letters', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const dataDir = tempDir('sweep')
    booth = await startBooth({ dataDir, platformBaseUrl: sim.baseUrl, startSync: false })
    const { passage } = await booth.record(plateRead(nthPlate(7), Date.now(), [tinyJpeg(3000), tinyJpeg(4000)]))
    const rear = booth.store.photos.get(2)!
    const photoDir = join(dataDir, 'photos', rear.path, '..')
    // A crash between a photo's fsync and its commit leaves a file no row names (and maybe its .tmp).
    writeFileSync(join(photoDir, 'orphan_1.jpg'), tinyJpeg(2000))
    writeFileSync(join(photoDir, 'orphan_2.jpg.tmp'), tinyJpeg(2000))
    booth.store.photoFiles.remove(rear.path)

    void booth.sync.start()
    await drained(booth)
    expect(existsSync(join(photoDir, 'orphan_1.jpg'))).toBe(false)
    expect(existsSync(join(photoDir, 'orphan_2.jpg.tmp'))).toBe(false)
    // Moved, never deleted: the booth no longer knows them, a person may still need them.
    const quarantined = join(dataDir, 'quarantine', 'photos', relative(join(dataDir, 'photos'), photoDir))
    expect(readFileSync(join(quarantined, 'orphan_1.jpg'))).toEqual(tinyJpeg(2000))
    expect(readFileSync(join(quarantined, 'orphan_2.jpg.tmp'))).toEqual(tinyJpeg(2000))
    expect((await acceptedKeys()).sort()).toEqual([passage.lsh, `${passage.lsh}_1`].sort())
    const [dead] = booth.store.outbox.deadLetters(10)
    expect(dead).toMatchObject({ idemKey: `${passage.lsh}_2`, fixable: false, reason: `照片文件丢失：${rear.path}` })
  })

  it('a record that would be refused (952) is held back by pre-flight, names the fields; an admin fixes them through the API and the row is uploaded', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    await setFault(sim.url, 'down')
    const config = demoConfig({ dataDir: tempDir('fix'), platformBaseUrl: sim.baseUrl, hostPort: 0, lprPort: 0 })
    app = await startSingleGate({ config: { ...config, sync: { ...config.sync, intervalMs: 100, maxBackoffMs: 200 } }, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
    const call = async (command: string, input: unknown) => {
      const reply = await app!.router.dispatch(command, input, { actor: { userId: 'a1', name: '王管理', role: 'admin' } })
      if (!reply.ok) throw new Error(reply.error.message)
      return reply.result as any
    }
    const passage = (await call('plate.submit', { laneId: 'in1', plate: '豫A13579', colour: '1' })) as Passage
    // Decided offline, the truck is held for the guard (no barrier of ours); the guard sends it away, its rows go.
    await call('lane.refuse', { laneId: 'in1', note: '', passageId: passage.id })
    await eventually('the worker to back off', async () => {
      const status = await app!.sync.status()
      return (status.paused === 'offline' && status.inFlight === 0) || undefined
    })
    app.store.db.prepare(`UPDATE outbox SET payload = json_set(payload, '$.cpys', '9', '$.bgzt', '7') WHERE idem_key = ?`).run(passage.lsh)
    await setFault(sim.url, 'none')
    await call('sync.now', {})

    const [letter] = (await eventually('the dead letter', async () => {
      const letters = (await call('outbox.deadLetters', {})) as DeadLetterView[]
      return letters.length > 0 ? letters : undefined
    })) as DeadLetterView[]
    expect(letter).toMatchObject({ idemKey: passage.lsh, fixable: true, payload: { cpys: '9', bgzt: '7' } })
    expect(letter!.fields.map((field) => field.field).sort()).toEqual(['bgzt', 'cpys'])
    expect(letter!.reason).toMatch(/上传前校验未通过/)

    expect(await call('outbox.fix', { id: letter!.id, changes: { nosuch: '1' } })).toMatchObject({ requeued: false, problems: [{ field: 'nosuch' }] })
    expect(await call('outbox.fix', { id: letter!.id, changes: { cpys: '1', bgzt: '0' } })).toMatchObject({ requeued: true, problems: [], deadLetter: null })
    await eventually('the fixed record to be uploaded', async () => ((await call('passages.list', {})) as Passage[])[0]?.upload === 'uploaded' || undefined)
    expect((await acceptedKeys()).filter((key) => key === passage.lsh)).toHaveLength(1)
    expect(await call('outbox.deadLetters', {})).toEqual([])
    await expect(call('outbox.requeue', { id: letter!.id })).rejects.toThrow(/没有编号/)
  })
})
