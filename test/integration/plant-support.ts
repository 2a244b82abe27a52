import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll } from 'vitest'
import { createHash } from 'node:crypto'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { request } from 'node:https'
import { createInterface } from 'node:readline'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { drivingRecordValue, photoRecordValue } from '../../src/main/core/platform'
import type { PlantConfig } from '../../src/main/plant/config'
import type { PassageUp, PhotoUp } from '../../src/main/plant/store'
import { makeLsh } from '../../src/shared/spec'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { DEMO_PLATFORM, numberedJpeg } from './booth'
import { startPgCluster, type PgCluster } from './pg-cluster'
import { repoRoot, tempDir } from './support'

export const ENTERPRISE = { code: '4110020001', name: '许昌示范钢铁有限公司', companySecretCode: 'DEMO-SECRET-0001' }

const beijing = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')

/** A passage through a raised arm as booth `gateCode` sends it up, with its 4.1.4 record. */
export function passageUp(input: { gateCode: string; direction: 'in' | 'out'; plate: string; at: number; laneId?: string; bgzt?: '0' | '1'; emission?: string }): PassageUp {
  const lsh = makeLsh({ enterpriseCode: ENTERPRISE.code, gateCode: input.gateCode, direction: input.direction, at: new Date(input.at) })
  const tgsj = beijing(input.at)
  const bgzt = input.bgzt ?? '1'
  return {
    lsh,
    laneId: input.laneId ?? (input.direction === 'in' ? 'in1' : 'out1'),
    gateCode: input.gateCode,
    direction: input.direction,
    plate: input.plate,
    plateColour: '2',
    recognizedAt: input.at,
    tgsjq: tgsj,
    tgsjz: tgsj,
    decision: bgzt === '1' ? 'allow' : 'refuse',
    reasonCode: bgzt === '1' ? 'platform_allow' : 'platform_refuse',
    reasonText: bgzt === '1' ? '核验通过，准予通行' : '禁止通行',
    decidedOffline: false,
    verdict: { isControl: '0', controlReason: '', emissionStandard: input.emission ?? '6', fuelType: 'B' },
    bgzt,
    source: 'lpr',
    record: drivingRecordValue(ENTERPRISE, { lsh, gateCode: input.gateCode, plate: input.plate, plateColour: '2', tgsjq: tgsj, tgsjz: tgsj, direction: input.direction, bgzt })
  }
}

/** Photo `zpbh` of a passage, its JPEG written under `photosDir` as the plant keeps it. */
export function photoUp(photosDir: string, passage: PassageUp, zpbh: '1' | '2', n: number): PhotoUp {
  const jpeg = numberedJpeg(n)
  const path = join('2026-12-04', `${passage.lsh}_${zpbh}.jpg`)
  mkdirSync(join(photosDir, '2026-12-04'), { recursive: true })
  writeFileSync(join(photosDir, path), jpeg)
  return {
    lsh: passage.lsh,
    zpbh,
    zplx: passage.direction === 'in' ? '1' : '2',
    path,
    sha256: createHash('sha256').update(jpeg).digest('hex'),
    bytes: jpeg.length,
    takenAt: passage.recognizedAt,
    record: photoRecordValue(ENTERPRISE, {
      lsh: passage.lsh,
      gateCode: passage.gateCode,
      plate: passage.plate,
      plateColour: passage.plateColour,
      zpbh,
      direction: passage.direction,
      forced: false,
      pzsj: passage.tgsjq
    })
  }
}

export interface PlantProcess {
  child: ChildProcess
  url: string
  fingerprint: string
  output: () => string
}

/** Starts the built plant (out/main/plant.js) and waits for its address and certificate lines. */
export function startPlantProcess(configFile: string, env: NodeJS.ProcessEnv): Promise<PlantProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'out/main/plant.js'), '--config', configFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolvePromise, reject) => {
    let url = ''
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`
      const listening = /^plant listening (https:\/\/\S+)/.exec(line)
      if (listening) url = listening[1]!
      const certificate = /^plant certificate (\S+)/.exec(line)
      if (certificate && url) resolvePromise({ child, url, fingerprint: certificate[1]!, output: () => output })
    })
    child.once('exit', (code) => reject(new Error(`plant exited with ${code} before it was ready:\n${output}`)))
  })
}

/** Runs one of the plant's admin commands (enrol-code, revoke) and returns what it printed. */
export function plantCommand(configFile: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [join(repoRoot, 'out/main/plant.js'), '--config', configFile, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' })
}

/** As plantCommand, without blocking this process (a relay in this process must keep forwarding meanwhile). */
export function plantCommandAsync(configFile: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile(process.execPath, [join(repoRoot, 'out/main/plant.js'), '--config', configFile, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolvePromise(stdout)
    )
  )
}

/** A plant.json in `dir`: a plant on loopback, the demo account at the city-platform simulator at `platformBaseUrl`. */
export function writePlantConfig(dir: string, databaseUrl: string, platformBaseUrl: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, 'plant.json')
  writeFileSync(
    file,
    JSON.stringify({
      dataDir: 'plant-data',
      database: { url: databaseUrl },
      platform: { baseUrl: platformBaseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'PLANT_PLATFORM_PASSWORD', requestTimeoutMs: 2000 },
      listen: { host: '127.0.0.1', port: 0 },
      sync: { concurrency: 2, intervalMs: 200, maxBackoffMs: 1000 },
      ...overrides
    })
  )
  return file
}

/** An in-process plant's config: its own database on the cluster, the platform simulator at `platformBaseUrl`, any free port. */
export function plantConfig(databaseUrl: string, platformBaseUrl: string, sync: Partial<PlantConfig['sync']> = {}): PlantConfig {
  return {
    dataDir: tempDir('plant'),
    database: { url: databaseUrl },
    platform: { baseUrl: platformBaseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'unused', requestTimeoutMs: 2_000 },
    listen: { host: '127.0.0.1', port: 0 },
    sync: { concurrency: 1, intervalMs: 200, maxBackoffMs: 1_000, compactAfterDays: 30, ...sync }
  }
}

export interface PlantReply {
  status: number
  body: any
  headers: Record<string, unknown>
}

/**
 * A browser on the LAN that trusts exactly the plant's certificate (as an admin installs it), calling the typed API
 * and keeping the session cookie; `host` is the address it connects to (the plant answers some paths on loopback only).
 */
export function plantBrowser(base: string, ca: string, host = '127.0.0.1') {
  let cookie = ''
  const send = (method: string, path: string, body?: unknown): Promise<PlantReply> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, base)
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request(
        {
          method,
          host,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          ca,
          checkServerIdentity: () => undefined,
          headers: { Host: `${host.includes(':') ? `[${host}]` : host}:${url.port}`, ...(cookie ? { Cookie: cookie } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}) }
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const set = response.headers['set-cookie']?.[0]
            if (set) cookie = set.split(';')[0]!
            const text = Buffer.concat(chunks).toString('utf8')
            let parsed: unknown = text
            try {
              parsed = JSON.parse(text)
            } catch {
              /* a page */
            }
            resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers })
          })
        }
      )
      req.on('error', reject)
      req.end(payload)
    })
  return { send, call: (command: string, input: unknown = {}) => send('POST', `/api/${command}`, input), cookie: () => cookie }
}

/** A throw-away PostgreSQL cluster and a city-platform simulator, started before the file's tests and stopped after. */
export function plantTestBed(): { cluster: PgCluster; sim: PlatformSim } {
  const bed = {} as { cluster: PgCluster; sim: PlatformSim }
  beforeAll(async () => {
    bed.cluster = await startPgCluster()
    bed.sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
  })
  afterAll(async () => {
    await bed.sim?.close()
    bed.cluster?.stop()
  })
  return bed
}

/** The LAN between a booth and the plant: a TCP relay that can be cut (open connections dropped, new ones refused). */
export async function lanRelay(target: number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void>; drops: () => number }> {
  const sockets = new Set<Socket>()
  let down = false
  let drops = 0
  const server: Server = createServer((inbound) => {
    if (down) {
      drops++
      return inbound.destroy()
    }
    const outbound = connect(target, '127.0.0.1')
    for (const socket of [inbound, outbound]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    inbound.pipe(outbound).pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      down = true
      drops += sockets.size
      for (const socket of sockets) socket.destroy()
    },
    restore: () => void (down = false),
    close: () => new Promise((resolve) => server.close(() => resolve())),
    drops: () => drops
  }
}
