// `npm start`: build if the sources changed since the last build, then open the Electron window; where Electron or an
// Electron build of the native modules cannot be had, say so in one line and serve the same UI from the headless host
// instead. Arguments are passed through (e.g. --config booth.json, --port 5790); no --config = demo mode.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { electronDir, electronSqliteBinding } from './electron-native.mjs'

const args = process.argv.slice(2)
/** How long the first start may wait for the Electron download before falling back to the browser UI. */
const ELECTRON_FETCH_DEADLINE_MS = 5_000
const buildStamp = resolve('out/.build-stamp')

/** The newest modification time among the build's inputs. */
function newestInput() {
  let newest = 0
  const visit = (path) => {
    const stat = statSync(path)
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
    else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const input of ['src', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json']) {
    if (existsSync(input)) visit(input)
  }
  return newest
}

function buildIfStale() {
  const newest = newestInput()
  if (existsSync(buildStamp) && Number(readFileSync(buildStamp, 'utf8')) >= newest) return
  console.log('正在构建（源代码有改动）… / building (sources changed)…')
  const build = spawnSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  writeFileSync(buildStamp, String(newest))
}

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'))
  return existsSync(binary) ? binary : null
}

function fetchElectron() {
  // Electron 45 downloads its binary on first use; ask for it up front, with a short deadline (offline plants).
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: ELECTRON_FETCH_DEADLINE_MS })
  return electronBinary()
}

/** Loads the native modules inside Electron's own Node before a window depends on them; the error text, or null. */
function nativeModulesFailUnderElectron(binary, binding) {
  const probe = `const Database = require('better-sqlite3'); new Database(':memory:', { nativeBinding: process.env.GATE_SQLITE_BINDING }).close(); require('@serialport/bindings-cpp')`
  const result = spawnSync(binary, ['-e', probe], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', GATE_SQLITE_BINDING: binding }, encoding: 'utf8', timeout: 30_000 })
  return result.status === 0 ? null : (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n')[0]
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

function serveInBrowser(why) {
  console.log(`Electron 不可用（${why}），改为在浏览器中提供同一界面。 / Electron is not available here; serving the same UI in the browser.`)
  const demo = args.includes('--config') || args.some((arg) => arg.startsWith('--config=')) ? [] : ['--demo']
  run(process.execPath, ['out/main/host.js', ...demo, ...args])
}

buildIfStale()
const binary = electronBinary() ?? fetchElectron()
if (!binary) {
  serveInBrowser(
    `${ELECTRON_FETCH_DEADLINE_MS / 1000} 秒内未能下载 Electron；在中国大陆可把环境变量 ELECTRON_MIRROR 设为可用的 Electron 镜像后重试 / the Electron download did not finish within ${ELECTRON_FETCH_DEADLINE_MS / 1000} s; set ELECTRON_MIRROR to a reachable Electron mirror and retry`
  )
} else {
  const binding = electronSqliteBinding()
  const failure = binding ? nativeModulesFailUnderElectron(binary, binding) : '无法准备 Electron 版 better-sqlite3 / no Electron build of better-sqlite3'
  if (failure) serveInBrowser(`原生模块无法在 Electron 中加载：${failure}；请运行 npm run rebuild:electron / native modules do not load under Electron: run npm run rebuild:electron`)
  else run(binary, ['out/main/index.js', ...args], { ...process.env, GATE_SQLITE_BINDING: binding })
}
