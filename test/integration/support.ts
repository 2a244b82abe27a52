import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { Users } from '../../src/main/core/auth'
import { openStore } from '../../src/main/booth/store'

// import.meta.dirname, not __dirname: benchmarks load this file as an ES module through tsx.
export const repoRoot = resolve(import.meta.dirname, '../..')

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gate-${prefix}-`))
}

/** A port free on loopback right now (for a process that must be told its port before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** mulberry32: a small seeded generator, so the same seed gives the same data and a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface RunningProcess {
  child: ChildProcess
  /** The first URL printed after `prefix` (e.g. 'listening '). */
  url: string
  output: () => string
}

/** Starts a built entry (out/main/*.js) in its own process and waits for the line `<prefix>http://…`. */
export function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv, prefix: RegExp): Promise<RunningProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'out/main', script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      output += `${line}\n`
      const match = new RegExp(`^${prefix.source}(http://\\S+)`).exec(line)
      if (match) resolvePromise({ child, url: match[1]!, output: () => output })
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`)))
  })
}

export async function stopProcess(running: RunningProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return
  const exited = new Promise((r) => running.child.once('exit', r))
  running.child.kill(signal)
  await exited
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

/** A real 8×8 grey JPEG (decodes with sharp), the core of every tinyJpeg. */
const EIGHT_BY_EIGHT_JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AAA//2Q==',
  'base64'
)

/**
 * A real, decodable JPEG of exactly `size` bytes (at least 265): an 8×8 image padded with JPEG comment segments
 * (FF FE), which every decoder skips.
 */
export function tinyJpeg(size = 2048): Buffer {
  const segments: Buffer[] = []
  let remaining = size - EIGHT_BY_EIGHT_JPEG.length
  while (remaining > 0) {
    let total = Math.min(remaining, 65_537)
    if (remaining - total > 0 && remaining - total < 4) total -= 4
    if (total < 4) throw new Error(`tinyJpeg cannot make exactly ${size} bytes`)
    const segment = Buffer.alloc(total, 0x11)
    segment.writeUInt16BE(0xfffe, 0)
    segment.writeUInt16BE(total - 2, 2)
    segments.push(segment)
    remaining -= total
  }
  return Buffer.concat([EIGHT_BY_EIGHT_JPEG.subarray(0, 2), ...segments, EIGHT_BY_EIGHT_JPEG.subarray(2)])
}

/** A booth config file for a spawned host against the given platform, with the gate's two demo lanes. */
export function writeBoothConfig(dir: string, platformBaseUrl: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, 'booth.json')
  writeFileSync(
    file,
    JSON.stringify({
      dataDir: '.',
      platform: { baseUrl: platformBaseUrl, organ: '4110020001', username: 'gate01', verifyBudgetMs: 1500 },
      enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司' },
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
        { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
      ],
      host: { host: '127.0.0.1', port: 0 },
      lpr: { host: '127.0.0.1', port: 0 },
      sync: { intervalMs: 100, maxBackoffMs: 300 },
      ...overrides
    })
  )
  return file
}

/** In-process callers of app.router.dispatch, as the transports would pass them after a login. */
export const GUARD_CONTEXT = { actor: { userId: 'test-guard', name: '测试门卫', role: 'guard' as const } }
export const ADMIN_CONTEXT = { actor: { userId: 'test-admin', name: '测试管理员', role: 'admin' as const } }

/** Creates a booth user in the store of `dataDir` (before its host starts), as `npm run users -- add` does. */
export async function addUser(dataDir: string, user: { username: string; password: string; role: 'guard' | 'admin'; name?: string }): Promise<void> {
  const store = openStore(dataDir)
  try {
    await new Users(store.repos.users).add({ name: user.username, ...user })
  } finally {
    store.close()
  }
}

/** A browser-like API client of the headless host: keeps the session cookie the host sets on login. */
export class ApiSession {
  cookie: string | null = null
  setCookie: string | null = null

  constructor(readonly baseUrl: string) {}

  async call(command: string, input: unknown = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}/api/${command}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(this.cookie ? { Cookie: this.cookie } : {}) },
      body: JSON.stringify(input)
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) {
      this.setCookie = setCookie
      const pair = setCookie.split(';')[0]!
      this.cookie = pair.endsWith('=') ? null : pair
    }
    return { status: response.status, body: await response.json() }
  }

  async login(username: string, password: string): Promise<{ status: number; body: any }> {
    return this.call('auth.login', { username, password })
  }
}

/** The guard account of demo mode (seeded by `host.js --demo`); tests give a `--config` booth the same one with addUser. */
export const DEMO_GUARD = { username: 'guard', password: 'guard123', role: 'guard' as const }

/** An ApiSession logged in to the host at `baseUrl` (as the demo guard unless told otherwise). */
export async function loggedIn(baseUrl: string, user: { username: string; password: string } = DEMO_GUARD): Promise<ApiSession> {
  const session = new ApiSession(baseUrl)
  const reply = await session.login(user.username, user.password)
  if (reply.status !== 200) throw new Error(`login of ${user.username} failed: ${reply.status} ${JSON.stringify(reply.body)}`)
  return session
}
