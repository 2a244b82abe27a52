/**
 * Start-up time of the headless host, from spawning `node out/main/host.js` to its `listening` line: with a booth
 * config (target ≤ 0.5 s) and in demo mode, which also starts the simulators (target ≤ 3 s); beside the same-run
 * baseline of a bare `node -e` printing a line. Runs alternate (bare, config, demo, bare, …) so the machine's load
 * falls on all three alike; medians are printed.
 */
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, tempDir, writeBoothConfig } from '../test/integration/support'
import { heading } from './support'

const RUNS = Number(process.env.BENCH_START_RUNS ?? 7)
const TARGET = { configSeconds: 0.5, demoSeconds: 3 }

/** Seconds from spawn to the first stdout line matching `ready`; the process is then stopped. */
function timeToLine(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (ready.test(out)) {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9
        ready = /$^/ // once
        child.once('exit', () => resolve(seconds))
        child.kill('SIGTERM')
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (ready.source !== '$^') reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${err.slice(-2000)}`))
    })
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

heading(`host start: ${RUNS} runs each, alternating`)
const dir = tempDir('bench-start')
const configFile = writeBoothConfig(dir, 'http://127.0.0.1:9/ysgk')
const host = join(repoRoot, 'out/main/host.js')
const bare: number[] = []
const config: number[] = []
const demo: number[] = []
try {
  for (let run = 0; run < RUNS; run++) {
    bare.push(await timeToLine(['-e', 'console.log("listening")'], /listening/))
    config.push(await timeToLine([host, '--config', configFile, '--accept-empty-database'], /\nlistening |^listening /m, { GATE_PLATFORM_PASSWORD: 'bench-password' }))
    demo.push(await timeToLine([host, '--demo', '--data', join(dir, `demo-${run}`), '--port', '0', '--lpr-port', '0'], /^listening /m))
  }
  const line = (label: string, xs: number[]) =>
    console.log(`${label.padEnd(40)} median ${median(xs).toFixed(2)} s  (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})   ×${(median(xs) / median(bare)).toFixed(1)} of bare node`)
  line('baseline: bare node -e', bare)
  line('host --config → listening', config)
  line('host --demo → listening (with simulators)', demo)
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  console.log(
    `targets: config start ≤ ${TARGET.configSeconds} s ${verdict(median(config) <= TARGET.configSeconds)}; demo start ≤ ${TARGET.demoSeconds} s ${verdict(median(demo) <= TARGET.demoSeconds)}`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
