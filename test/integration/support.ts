import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

// import.meta.url rather than __dirname, so benchmarks (ESM under tsx) can use these helpers too.
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gate-${prefix}-`))
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

/** A minimal but structurally valid JPEG (SOI … EOI) of about `size` bytes. */
export function tinyJpeg(size = 2048): Buffer {
  const body = Buffer.alloc(Math.max(size - 6, 0), 0x11)
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body, Buffer.from([0xff, 0xd9])])
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
