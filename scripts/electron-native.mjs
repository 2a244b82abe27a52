// The Electron build of better-sqlite3, kept beside the Node build that the host and the tests use
// (node_modules/.gate-electron/<electron version>/better-sqlite3). Shared by `npm start` and `npm run rebuild:electron`.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

export const electronDir = resolve('node_modules/electron')
const electronVersion = () => JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
const bindingDir = () => resolve('node_modules/.gate-electron', electronVersion(), 'better-sqlite3')
const bindingFile = () => join(bindingDir(), 'build/Release/better_sqlite3.node')

/** The Electron build's path, preparing it from a prebuilt binary on first use; null where none could be had. */
export function electronSqliteBinding() {
  if (existsSync(bindingFile())) return bindingFile()
  cpSync(resolve('node_modules/better-sqlite3'), bindingDir(), { recursive: true })
  const prebuild = createRequire(import.meta.url).resolve('prebuild-install/bin.js')
  spawnSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion()], { cwd: bindingDir(), stdio: 'inherit' })
  return existsSync(bindingFile()) ? bindingFile() : null
}

/** Starts over: a prebuilt binary if one can be had, else a build from source against Electron's headers. */
export function rebuildElectronSqlite() {
  rmSync(bindingDir(), { recursive: true, force: true })
  if (electronSqliteBinding()) return bindingFile()
  const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js')
  const target = electronVersion()
  spawnSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${target}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
    cwd: bindingDir(),
    stdio: 'inherit'
  })
  return existsSync(bindingFile()) ? bindingFile() : null
}
