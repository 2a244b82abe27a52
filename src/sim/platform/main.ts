/**
 * The city-platform simulator as its own process (demo mode, tests, commissioning).
 *   node out/main/sim-platform.js [--host 127.0.0.1] [--port 0] [--organ …] [--username …] [--token-ttl-ms N] [--demo-vehicles]
 * The password comes from SIM_PLATFORM_PASSWORD, never from the command line.
 */
import { parseArgs } from 'node:util'
import { demoVehicles } from './demo-vehicles'
import { startPlatformSim } from './server'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    organ: { type: 'string', default: process.env.SIM_PLATFORM_ORGAN ?? '4110020001' },
    username: { type: 'string', default: process.env.SIM_PLATFORM_USERNAME ?? 'demo' },
    'token-ttl-ms': { type: 'string' },
    'demo-vehicles': { type: 'boolean', default: false }
  }
})

const sim = await startPlatformSim({
  host: values.host,
  port: Number(values.port),
  organ: values.organ,
  username: values.username,
  password: process.env.SIM_PLATFORM_PASSWORD ?? 'demo-password',
  ...(values['token-ttl-ms'] ? { tokenTtlMs: Number(values['token-ttl-ms']) } : {}),
  ...(values['demo-vehicles'] ? { vehicles: demoVehicles } : {})
})
process.stdout.write(`platform-sim listening ${sim.url}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
