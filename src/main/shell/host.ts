/**
 * The headless host: the whole booth core in plain Node, with the UI and the API served over HTTP + WebSocket on
 * 127.0.0.1. Used where Electron is absent, for browser access and by the end-to-end tests.
 *
 *   node out/main/host.js --config booth.json
 *   node out/main/host.js --demo [--data ./data-demo] [--port 5780] [--lpr-port 5781]
 *   … [--accept-empty-database] [--accept-missing-wal]   (docs/operations.md, start-up integrity)
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startHttpHost, type HttpHost } from '../core/api'
import { ConfigError, loadConfigFile, type GateConfig } from '../core/config'
import { createLog } from '../core/log'
import { StartupRefusal } from '../core/retention'
import { keyFileSecrets, resolvePlatformPassword, SecretsError } from '../core/secrets'
import { loadIdentity, PlantIdentityError, PlantLink } from '../booth/plant-link'
import { edgeBooth, type EdgeBoothOptions } from '../roles/edge-booth'
import { startSingleGate, type SingleGate } from '../roles/single-gate'
import { DemoSimulators, startDemo } from './demo'
import { version } from '../../../package.json'

const log = createLog('host')

/** What is running so far, stopped in reverse on a signal or a failed start. */
const running: { simulators: DemoSimulators | null; gate: SingleGate | null; host: HttpHost | null } = { simulators: null, gate: null, host: null }
let config: GateConfig | null = null

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      data: { type: 'string' },
      port: { type: 'string' },
      'lpr-port': { type: 'string' },
      'accept-empty-database': { type: 'boolean', default: false },
      'accept-missing-wal': { type: 'boolean', default: false }
    }
  })
  if (!values.config && !values.demo) throw new ConfigError('usage: host --config FILE | --demo [--data DIR] [--port N] [--lpr-port N]')

  let password: string
  let secrets: Record<string, string> | undefined
  if (values.config) {
    const loaded = loadConfigFile(values.config)
    config = loaded
    // An edge booth never logs in to the city platform (its plant does): it needs no platform password.
    password = loaded.plant ? '' : await resolvePlatformPassword(loaded, process.env, () => keyFileSecrets(loaded, { createKey: false }))
  } else {
    running.simulators = new DemoSimulators(fileURLToPath(new URL('.', import.meta.url)))
    const demo = await startDemo(running.simulators, resolve(values.data ?? 'data-demo'))
    for (const simulator of running.simulators.list()) process.stdout.write(`demo simulator ${simulator.name} pid ${simulator.pid}\n`)
    config = demo.config
    password = demo.platformPassword
    secrets = demo.secrets
    log(`demo mode: simulated city platform at ${config.platform.baseUrl}, data in ${config.dataDir}`)
    for (const [laneId, controls] of Object.entries(demo.controls)) process.stdout.write(`demo devices ${laneId} ${JSON.stringify(controls)}\n`)
  }
  if (values.port !== undefined) config = { ...config, host: { ...config.host, port: Number(values.port) } }
  if (values['lpr-port'] !== undefined) config = { ...config, lpr: { ...config.lpr, port: Number(values['lpr-port']) } }

  const startup = { acceptEmptyDatabase: values['accept-empty-database'], acceptMissingWal: values['accept-missing-wal'] }
  const roleOptions = { config, platformPassword: password, version, demo: running.simulators !== null, log, secrets, startup }
  const gate = config.plant ? await startEdgeBooth({ ...roleOptions, plant: await plantLinkOf(config) }) : await startSingleGate(roleOptions)
  running.gate = gate
  const host = await startHttpHost({
    host: config.host.host,
    port: config.host.port,
    router: gate.router,
    events: gate.events,
    sessions: gate.sessions,
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    health: gate.health
  })
  running.host = host
  process.stdout.write(`lpr listening ${gate.lpr.url}\n`)
  process.stdout.write(`listening ${host.url}\n`)
  process.stdout.write(urlBox(host.url))
}

/** An edge booth's link to its plant, as enrolled (docs/plant.md). */
async function plantLinkOf(config: GateConfig): Promise<PlantLink> {
  const identity = await loadIdentity(config.dataDir, keyFileSecrets(config, { createKey: false }))
  log(`edge booth ${identity.boothId} of the plant at ${identity.url} (gate ${identity.gateCode})`)
  return new PlantLink(identity, config.platform.requestTimeoutMs)
}

async function startEdgeBooth(options: EdgeBoothOptions): Promise<SingleGate> {
  const gate = await edgeBooth(options).start()
  log(`booth ready as a plant's edge node: ${options.config.lanes.length} lane(s), lpr push at ${gate.lpr.url}/lpr/{laneId}`)
  return gate
}

/** The address to open, last and alone in a box, so it stands out of the start-up lines. */
function urlBox(url: string): string {
  const line = '─'.repeat(url.length + 4)
  return `\n在浏览器中打开 / open in a browser:\n┌${line}┐\n│  ${url}  │\n└${line}┘\n\n`
}

let stopping: Promise<void> | null = null
/** Stops what runs, last started first: the HTTP host, the booth, the demo's simulators (waiting for each to exit). */
function stop(): Promise<void> {
  return (stopping ??= (async () => {
    for (const step of [() => running.host?.close(), () => running.gate?.close(), () => running.simulators?.stop()]) {
      try {
        await step()
      } catch (error) {
        log(`stopping: ${(error as Error).message}`)
      }
    }
  })())
}

/** One line for the operator: what went wrong and what to do, without a stack trace for the expected failures. */
function failureLine(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const port = (error as { port?: number }).port
  if (code === 'EADDRINUSE' && port !== undefined) {
    const flag = port === config?.lpr.port ? '--lpr-port' : '--port'
    return `端口 ${port} 已被占用，请用 ${flag} 换一个端口（port ${port} is already in use; choose another with ${flag}）`
  }
  if (error instanceof ConfigError || error instanceof SecretsError || error instanceof StartupRefusal || error instanceof PlantIdentityError) return error.message
  return (error as Error).stack ?? String(error)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stop().finally(() => process.exit(0))
  })
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${failureLine(error)}\n`)
  await stop()
  process.exit(1)
})
