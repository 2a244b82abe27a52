/**
 * The city-platform simulator as its own process (demo mode, tests, commissioning).
 *   node out/main/sim-platform.js [--host 127.0.0.1] [--port 0] [--organ …] [--username …] [--token-ttl-ms N] [--demo-vehicles]
 *     [--clock-offset-ms N] [--reply-style as-printed|code-status] [--pass-field bgzt|gateSignal]
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
    'demo-vehicles': { type: 'boolean', default: false },
    'clock-offset-ms': { type: 'string', default: '0' },
    'reply-style': { type: 'string', default: 'as-printed' },
    'pass-field': { type: 'string', default: 'bgzt' }
  }
})

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    process.stderr.write(`--${flag} must be one of ${allowed.join(', ')}\n`)
    process.exit(2)
  }
  return value as T
}

const sim = await startPlatformSim({
  host: values.host,
  port: Number(values.port),
  organ: values.organ,
  username: values.username,
  password: process.env.SIM_PLATFORM_PASSWORD ?? 'demo-password',
  ...(values['token-ttl-ms'] ? { tokenTtlMs: Number(values['token-ttl-ms']) } : {}),
  ...(values['demo-vehicles'] ? { vehicles: demoVehicles } : {}),
  clockOffsetMs: Number(values['clock-offset-ms']),
  replyStyle: oneOf('reply-style', values['reply-style'], ['as-printed', 'code-status'] as const),
  passField: oneOf('pass-field', values['pass-field'], ['bgzt', 'gateSignal'] as const)
})
process.stdout.write(`platform-sim listening ${sim.url}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
