// `npm start`: open the Electron window; where the Electron binary cannot be had, say so in one line and serve the
// same UI from the headless host instead. Arguments are passed through (e.g. --config booth.json); none = demo mode.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const electronDir = resolve('node_modules/electron')

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'))
  return existsSync(binary) ? binary : null
}

function fetchElectron() {
  // Electron 45 downloads its binary on first use; here we ask for it up front, with a deadline.
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 180_000 })
  return electronBinary()
}

/** better-sqlite3 built for Electron's ABI, beside the Node build that the host and the tests use. */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  const dir = resolve('node_modules/.gate-electron', version, 'better-sqlite3')
  const binding = join(dir, 'build/Release/better_sqlite3.node')
  if (existsSync(binding)) return binding
  cpSync(resolve('node_modules/better-sqlite3'), dir, { recursive: true })
  const prebuild = createRequire(import.meta.url).resolve('prebuild-install/bin.js')
  const result = spawnSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', version], { cwd: dir, stdio: 'inherit' })
  return result.status === 0 && existsSync(binding) ? binding : null
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

const binary = electronBinary() ?? fetchElectron()
const binding = binary ? electronSqliteBinding() : null
if (binary && binding) {
  run(binary, ['out/main/index.js', ...args], { ...process.env, GATE_SQLITE_BINDING: binding })
} else {
  const why = binary ? 'no better-sqlite3 build for Electron could be prepared' : 'its binary could not be downloaded'
  console.log(`Electron is not available here (${why}); serving the same UI in the browser instead.`)
  run(process.execPath, ['out/main/host.js', ...(args.length > 0 ? args : ['--demo'])])
}
