/**
 * Commissioning: poke one real device on its line with the same adapters the booth runs. The actions and options
 * come from the device table (kinds.ts): each kind lists what can be done to it.
 *
 *   npm run commission -- <path> open-barrier | lower-barrier | signals | show "text" [--colour red] [--voice "…"] | weight
 *     [--kind modbus-rtu] [--baud 9600] [--unit 1] [--address 0] [--timeout-ms 1000] [--watch-ms 3000]
 *
 * <path> is a serial port (/dev/ttyUSB0, COM3) or tcp://host:port of an RS485-to-Ethernet converter. `--kind` picks
 * the brand when a role has several (default: the first in the table that has the action).
 */
import { parseArgs } from 'node:util'
import { fieldIssues, issuesText } from '../../core/api/errors'
import type { CommandOption, CommissionContext, DeviceKindEntry } from './kind'
import { kindsOf, LANE_DEVICE_ROLES } from './kinds'
import type { Device } from './types'

const kinds: readonly DeviceKindEntry[] = LANE_DEVICE_ROLES.flatMap((role) => kindsOf(role))

const common: Record<string, CommandOption> = {
  kind: { type: 'string' },
  baud: { type: 'string', default: '9600' },
  'timeout-ms': { type: 'string', default: '1000' },
  'watch-ms': { type: 'string', default: '3000' }
}
const kindOptions: Record<string, CommandOption> = Object.assign({}, ...kinds.map((kind) => kind.commission.options))
const options: Record<string, CommandOption> = Object.assign({}, common, kindOptions, ...kinds.flatMap((kind) => kind.commission.actions.map((action) => action.options ?? {})))

const actionUsage = [...new Set(kinds.flatMap((kind) => kind.commission.actions.map((action) => action.usage)))].join(' | ')
const optionUsage = ['kind K', 'baud N', ...Object.keys(kindOptions).map((name) => `${name} N`), 'timeout-ms N', 'watch-ms N'].map((option) => `[--${option}]`).join(' ')
const kindUsage = LANE_DEVICE_ROLES.map((role) => `${role}: ${kindsOf(role).map((kind) => kind.kind).join('|')}`).join('; ')
const usage = `usage: commission <path> ${actionUsage} ${optionUsage}\n  kinds — ${kindUsage}`

const print = (line: string) => process.stdout.write(`${line}\n`)
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** How long an action waits for the device's first sign of life (its line open and answered, or failed). */
const OPEN_WAIT_MS = 3_000

/** Resolves at the device's first health report (online, or the reason it is not), or after `maxMs`: a busy PC may take a while to open a port. */
function firstHealth(device: Device, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, maxMs)
    const off = device.onHealth(done)
    function done() {
      clearTimeout(timer)
      off()
      resolve()
    }
  })
}

/** Says how the device is: its health id, status and the reason when it is not online. */
function report(device: Device): void {
  const health = device.health()
  print(`${health.id}: ${health.status}${health.error ? ` — ${health.error}` : ''}`)
}

async function main(): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({ allowPositionals: true, options })
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`)
  }
  const positionals = parsed.positionals
  const values = parsed.values as CommissionContext['values']
  const [path, actionName, text] = positionals
  if (!path || !actionName) return fail(usage)
  const kind = kinds.find((candidate) => (values.kind === undefined || candidate.kind === values.kind) && candidate.commission.actions.some((action) => action.name === actionName))
  if (!kind) return fail(values.kind === undefined ? usage : `no device of kind ${String(values.kind)} can ${actionName}\n${usage}`)
  const action = kind.commission.actions.find((candidate) => candidate.name === actionName)!

  // The lane config's own schema validates the settings, so commissioning accepts what a config accepts.
  const timeoutMs = Number(values['timeout-ms'])
  const raw = { kind: kind.kind, ...kind.commission.config({ path, baudRate: Number(values.baud), timeoutMs, values }) }
  const config = kind.config.safeParse(raw)
  if (!config.success) return fail(issuesText(fieldIssues(config.error), '; '))

  const device = kind.create({ id: `commission/${kind.role}`, laneId: null }, config.data)
  const context: CommissionContext = {
    text,
    values,
    watchMs: Number(values['watch-ms']),
    opened: firstHealth(device, OPEN_WAIT_MS),
    print,
    fail
  }
  try {
    await action.run(device, context)
  } finally {
    report(device)
    await device.stop()
  }
}

main().catch((error: unknown) => fail((error as Error).message))
