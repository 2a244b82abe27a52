/**
 * The headless host: the whole booth core in plain Node, with the UI and the API served over HTTP + WebSocket on
 * 127.0.0.1. Used where Electron is absent, for browser access and by the end-to-end tests.
 *
 *   node out/main/host.js --config booth.json
 *   node out/main/host.js --demo [--data ./data-demo] [--port 5780]
 *   … [--accept-empty-database] [--accept-missing-wal]   (docs/operations.md, start-up integrity)
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startHttpHost } from '../core/api'
import { createApp } from './app'
import { ConfigError, demoConfig, DEMO_LANE_IDS, DEMO_PLATFORM, loadConfigFile, type GateConfig } from '../core/config'
import { startDemoCameras, startDemoDevices, startDemoPlatform, type DemoCameras, type DemoDevices, type DemoPlatform } from './demo'
import { createLog } from '../core/log'
import { keyFileSecrets, resolvePlatformPassword, SecretsError } from '../core/secrets'
import { StartupRefusal } from '../core/retention'
import { version } from '../../../package.json'

const log = createLog('host')

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
  if (!values.config && !values.demo) throw new ConfigError('usage: host --config FILE | --demo [--data DIR] [--port N]')

  let demoPlatform: DemoPlatform | null = null
  let demoCameras: DemoCameras | null = null
  let demoDevices: DemoDevices | null = null
  let config: GateConfig
  let password: string
  if (values.config) {
    config = loadConfigFile(values.config)
    const loaded = config
    password = await resolvePlatformPassword(loaded, process.env, () => keyFileSecrets(loaded, { createKey: false }))
  } else {
    demoPlatform = await startDemoPlatform(fileURLToPath(new URL('./sim-platform.js', import.meta.url)))
    demoDevices = await startDemoDevices(fileURLToPath(new URL('.', import.meta.url)), DEMO_LANE_IDS)
    config = demoConfig({ dataDir: resolve(values.data ?? 'data-demo'), platformBaseUrl: demoPlatform.baseUrl, devices: demoDevices.lanes })
    demoCameras = await startDemoCameras(fileURLToPath(new URL('./sim-onvif.js', import.meta.url)), config)
    config = demoCameras.config
    password = DEMO_PLATFORM.password
    log(`demo mode: simulated city platform at ${demoPlatform.baseUrl}, data in ${config.dataDir}`)
    for (const [laneId, devices] of Object.entries(demoDevices.lanes)) process.stdout.write(`demo devices ${laneId} ${JSON.stringify(devices.control)}\n`)
  }
  if (values.port !== undefined) config = { ...config, host: { ...config.host, port: Number(values.port) } }
  if (values['lpr-port'] !== undefined) config = { ...config, lpr: { ...config.lpr, port: Number(values['lpr-port']) } }

  const startup = { acceptEmptyDatabase: values['accept-empty-database'], acceptMissingWal: values['accept-missing-wal'] }
  const app = await createApp({ config, platformPassword: password, version, demo: demoPlatform !== null, log, secrets: demoCameras?.secrets, startup })
  const host = await startHttpHost({
    host: config.host.host,
    port: config.host.port,
    router: app.router,
    events: app.events,
    sessions: app.sessions,
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    health: app.health
  })
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await host.close()
    await app.close()
    demoPlatform?.stop()
    demoCameras?.stop()
    demoDevices?.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
  // Only once a stop signal can be handled: whoever waits for this line may stop the host at once.
  process.stdout.write(`lpr listening ${app.lpr.url}\n`)
  process.stdout.write(`listening ${host.url}\n`)
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof SecretsError || error instanceof StartupRefusal
  process.stderr.write(`${known ? error.message : ((error as Error).stack ?? String(error))}\n`)
  process.exit(1)
})
