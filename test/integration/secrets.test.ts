import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { aesGcmBox, keyFileSecrets, readKeyFile, SecretsError } from '../../src/main/core/secrets'
import { addUser, DEMO_GUARD, eventually, loggedIn, repoRoot, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from './support'

const password = 'Pl@tform-S3cret-4110020001'
const started: RunningProcess[] = []
afterEach(async () => {
  for (const process of started.splice(0)) await stopProcess(process)
})

/** Runs `node out/main/ops.js …` with `stdin`, returning its exit code and output. */
function ops(args: string[], stdin = '') {
  const run = spawnSync(process.execPath, [join(repoRoot, 'out/main/ops.js'), ...args], { input: stdin, encoding: 'utf8', env: { ...process.env, GATE_PLATFORM_PASSWORD: '' } })
  return { status: run.status, output: run.stdout + run.stderr }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )
}

describe('sealing', () => {
  it('opens what it sealed, and refuses a changed byte or another key with a clear error', async () => {
    const box = aesGcmBox(Buffer.alloc(32, 7))
    const sealed = await box.seal(password)
    expect(sealed.includes(Buffer.from(password))).toBe(false)
    expect(await box.open(sealed)).toBe(password)
    const tampered = Buffer.from(sealed)
    tampered[tampered.length - 1]! ^= 1
    await expect(box.open(tampered)).rejects.toThrow(SecretsError)
    await expect(aesGcmBox(Buffer.alloc(32, 8)).open(sealed)).rejects.toThrow(/cannot be opened with this key/)
  })

  it('refuses a key file others can read, and leaves it as it was', () => {
    const dir = tempDir('keyfile')
    const file = join(dir, 'secrets.key')
    writeFileSync(file, Buffer.alloc(32, 1), { mode: 0o644 })
    chmodSync(file, 0o644)
    expect(() => readKeyFile(file)).toThrow(/readable by others \(mode 0644\): run chmod 600/)
    expect(statSync(file).mode & 0o777).toBe(0o644)
    chmodSync(file, 0o600)
    expect(readKeyFile(file)).toEqual(Buffer.alloc(32, 1))
  })
})

describe('the platform password at rest', () => {
  it('is set from stdin, used by the host, and — with the token — found in no file, log or config after a verified and uploaded passage', async () => {
    const sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
    started.push(sim)
    const dataDir = tempDir('secrets')
    const configFile = writeBoothConfig(dataDir, `${sim.url}/ysgk`)

    const set = ops(['secrets', 'set-platform-password', '--config', configFile], `${password}\n`)
    expect(set.output).toContain('platform password sealed')
    expect(set.status).toBe(0)
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600)
    expect(await keyFileSecrets({ dataDir, secrets: {} }, { createKey: false }).get('platformPassword')).toBe(password)

    await addUser(dataDir, DEMO_GUARD)
    // No environment variable: the host must take the sealed password.
    const host = await startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: '' }, /listening /)
    started.push(host)
    const guard = await loggedIn(host.url)
    const submitted = await guard.call('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' })
    expect(submitted.status).toBe(200)
    expect((submitted.body.result as Passage).decidedOffline).toBe(false)
    await eventually('the passage to upload', async () => {
      const list = await guard.call('passages.list')
      return (list.body.result as Passage[])[0]?.upload === 'uploaded' ? true : undefined
    })
    await stopProcess(host)

    // The access token the platform handed out (the simulator records its replies) must not be at rest either.
    const logins = (await (await fetch(`${sim.url}/__sim/requests?ipctype=getAccessToken`)).json()) as { reply: { access_token?: string } }[]
    const token = logins.at(-1)?.reply.access_token
    expect(token?.length).toBeGreaterThan(8)
    const needles = [password, token!].flatMap((secret) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')])
    const haystacks: [string, Buffer][] = [
      ...filesUnder(dataDir).map((file): [string, Buffer] => [file, readFileSync(file)]),
      ['host output', Buffer.from(host.output())],
      ['config', readFileSync(configFile)]
    ]
    expect(haystacks.map(([name]) => name)).toEqual(
      expect.arrayContaining([join(dataDir, 'booth.sqlite'), join(dataDir, 'secrets.sealed'), join(dataDir, 'logs', 'booth.log')])
    )
    expect(readFileSync(join(dataDir, 'logs', 'booth.log'), 'utf8')).toContain('booth ready')
    for (const [name, bytes] of haystacks) {
      for (const needle of needles) expect(bytes.includes(needle), `a secret found in ${name}`).toBe(false)
    }
  })

  it('refuses to start the host with a loose key file, saying why', async () => {
    const dataDir = tempDir('secrets-loose')
    const configFile = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk')
    expect(ops(['secrets', 'set-platform-password', '--config', configFile], password).status).toBe(0)
    chmodSync(join(dataDir, 'secrets.key'), 0o640)
    const before = readFileSync(join(dataDir, 'secrets.sealed'))
    await expect(startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: '' }, /listening /)).rejects.toThrow(/readable by others \(mode 0640\)/)
    expect(readFileSync(join(dataDir, 'secrets.sealed'))).toEqual(before)
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o640)
  })

  it('refuses an empty password on stdin and keeps the sealed one', async () => {
    const dataDir = tempDir('secrets-empty')
    const configFile = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk')
    expect(ops(['secrets', 'set-platform-password', '--config', configFile], password).status).toBe(0)
    const empty = ops(['secrets', 'set-platform-password', '--config', configFile], '')
    expect(empty).toMatchObject({ status: 1 })
    expect(empty.output).toContain('no password on stdin')
    expect(await keyFileSecrets({ dataDir, secrets: {} }, { createKey: false }).get('platformPassword')).toBe(password)
  })
})
