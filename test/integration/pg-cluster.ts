import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { chmodSync, chownSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, tempDir } from './support'

/** A PostgreSQL cluster of its own in a temporary folder, listening on 127.0.0.1 and a unix socket in that folder. */
export interface PgCluster {
  dir: string
  port: number
  /** A connection string for `database` (created on demand by `createDatabase`). */
  url(database?: string): string
  createDatabase(name: string): string
  /** pg_ctl stop -m immediate, then start again on the same folder and port (a crash and restart of the server). */
  restart(): void
  stop(): void
}

/**
 * Where Debian keeps the server programs (/usr/lib/postgresql/<major>/bin, newest first), else PATH. initdb and pg_ctl
 * are not on PATH with Debian's `postgresql` package alone (only its wrappers are).
 */
export function postgresBin(program: 'initdb' | 'pg_ctl' | 'psql'): string {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a))
    for (const major of majors) {
      const path = join(root, major, 'bin', program)
      if (existsSync(path)) return path
    }
  }
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' })
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim()
  throw new Error(`${program} not found: install Debian's postgresql package (apt-get install postgresql)`)
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to (and runs as) the `postgres` user. */
function runAs(): Pick<SpawnSyncOptions, 'uid' | 'gid'> {
  if (process.getuid?.() !== 0) return {}
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

function run(program: string, args: string[], user: Pick<SpawnSyncOptions, 'uid' | 'gid'>): void {
  const result = spawnSync(program, args, { ...user, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } })
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.stdout}`)
}

/** initdb + pg_ctl start in a new temporary folder; `stop()` removes it. Trust auth: loopback and its own socket only. */
export async function startPgCluster(): Promise<PgCluster> {
  const dir = tempDir('pg')
  const data = join(dir, 'data')
  const user = runAs()
  if (user.uid !== undefined) {
    chownSync(dir, user.uid, user.gid!)
    chmodSync(dir, 0o755)
  }
  run(postgresBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], user)
  const port = await freePort()
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`
  const start = () => run(postgresBin('pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], user)
  const stopNow = (mode: 'fast' | 'immediate') => run(postgresBin('pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop'], user)
  start()
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`
  let stopped = false
  return {
    dir,
    port,
    url,
    createDatabase(name) {
      run(postgresBin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`], {})
      return url(name)
    },
    restart() {
      stopNow('immediate')
      start()
    },
    stop() {
      if (stopped) return
      stopped = true
      try {
        stopNow('fast')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
