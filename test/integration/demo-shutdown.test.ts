/**
 * The demo host owns the simulator processes it starts: SIGTERM (or SIGINT) stops every one of them before the host
 * exits, and so does a failed start, which says in one line what went wrong and which flag to change.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { repoRoot, tempDir } from './support'

let host: ChildProcess | undefined
let blocker: Server | undefined

afterEach(async () => {
  if (host && host.exitCode === null && host.signalCode === null) {
    const exited = new Promise((resolve) => host!.once('exit', resolve))
    host.kill('SIGKILL')
    await exited
  }
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)))
  host = blocker = undefined
})

interface Run {
  stdout: string[]
  stderr: () => string
  /** Resolves with the first stdout line matching `pattern`, or rejects when the host exits first. */
  line(pattern: RegExp): Promise<string>
  exit: Promise<number | null>
}

function startHost(args: string[]): Run {
  host = spawn(process.execPath, [join(repoRoot, 'out/main/host.js'), '--demo', '--data', tempDir('demo-shutdown'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const child = host
  const stdout: string[] = []
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: child.stdout! })
  lines.on('line', (line) => stdout.push(line))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    stdout,
    stderr: () => stderr,
    exit,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = stdout.find((line) => pattern.test(line))
        if (seen) return resolve(seen)
        lines.on('line', (line) => pattern.test(line) && resolve(line))
        void exit.then((code) => reject(new Error(`host exited (${code}) before ${pattern}:\n${stdout.join('\n')}\n${stderr}`)))
      })
  }
}

/** The simulator pids the host printed ("demo simulator sim-platform pid 1234"). */
function printedSimulators(stdout: string[]): number[] {
  return stdout.flatMap((line) => {
    const match = /^demo simulator \S+ pid (\d+)$/.exec(line)
    return match ? [Number(match[1])] : []
  })
}

/** The live child processes of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
      } catch {
        return false
      }
    })
    .map(Number)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the demo host and its simulators', () => {
  it('stops every simulator it started on SIGTERM, then exits', async () => {
    const run = startHost(['--port', '0', '--lpr-port', '0'])
    await run.line(/^listening /)
    const simulators = printedSimulators(run.stdout)
    // The platform, per lane a barrier, display, scale and camera, and the NVR: 10, each printed, each a child of the host.
    expect(simulators).toHaveLength(10)
    expect(childrenOf(host!.pid!).sort()).toEqual([...simulators].sort())
    expect(simulators.every(alive)).toBe(true)

    host!.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(simulators.filter(alive)).toEqual([])
  })

  it('stops on SIGINT the same way', async () => {
    const run = startHost(['--port', '0', '--lpr-port', '0'])
    await run.line(/^listening /)
    const simulators = printedSimulators(run.stdout)
    host!.kill('SIGINT')
    expect(await run.exit).toBe(0)
    expect(simulators.filter(alive)).toEqual([])
  })

  it('with its port taken: one line naming the port and the flag, no stack trace, no simulator left', async () => {
    blocker = createServer()
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)))
    const run = startHost(['--port', String(port), '--lpr-port', '0'])
    expect(await run.exit).toBe(1)
    const simulators = printedSimulators(run.stdout)
    expect(simulators).toHaveLength(10)
    expect(simulators.filter(alive)).toEqual([])
    const problem = run.stderr().split('\n').filter((line) => line.includes(String(port)))
    expect(problem).toEqual([`端口 ${port} 已被占用，请用 --port 换一个端口（port ${port} is already in use; choose another with --port）`])
    expect(run.stderr()).not.toMatch(/^\s+at /m)
  })

  it('with the camera push port taken: names --lpr-port', async () => {
    blocker = createServer()
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)))
    const run = startHost(['--port', '0', '--lpr-port', String(port)])
    expect(await run.exit).toBe(1)
    expect(run.stderr()).toContain(`端口 ${port} 已被占用，请用 --lpr-port 换一个端口（port ${port} is already in use; choose another with --lpr-port）`)
    expect(run.stderr()).not.toMatch(/^\s+at /m)
    expect(printedSimulators(run.stdout).filter(alive)).toEqual([])
  })
})
