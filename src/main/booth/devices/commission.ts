/**
 * Commissioning: poke one real device on its line with the same adapters the booth runs.
 *
 *   npm run commission -- <path> open-barrier | lower-barrier | signals | show "text" [--colour red] [--voice "…"] | weight
 *     [--baud 9600] [--unit 1] [--address 0] [--timeout-ms 1000] [--watch-ms 3000]
 *
 * <path> is a serial port (/dev/ttyUSB0, COM3) or tcp://host:port of an RS485-to-Ethernet converter.
 */
import { parseArgs } from 'node:util'
import type { z } from 'zod'
import { fieldIssues, issuesText } from '../../core/api/errors'
import { barrierConfigSchema, displayConfigSchema, scaleConfigSchema } from '../../core/config/schema'
import { createBarrier, createDisplay, createScale } from './registry'
import type { Device, DisplayColour } from './types'

const usage = 'usage: commission <path> open-barrier|lower-barrier|signals|show "text" [--colour red|green|yellow] [--voice "…"]|weight [--baud N] [--unit N] [--address N] [--timeout-ms N] [--watch-ms N]'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    baud: { type: 'string', default: '9600' },
    unit: { type: 'string', default: '1' },
    address: { type: 'string', default: '0' },
    colour: { type: 'string', default: 'green' },
    voice: { type: 'string' },
    'timeout-ms': { type: 'string', default: '1000' },
    'watch-ms': { type: 'string', default: '3000' }
  }
})

const [path, action, text] = positionals
const print = (line: string) => process.stdout.write(`${line}\n`)
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** The lane config's own schema validates the device settings, so commissioning accepts what a config accepts. */
function laneDevice<S extends z.ZodType>(schema: S, device: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(device)
  if (!parsed.success) fail(issuesText(fieldIssues(parsed.error), '; '))
  return parsed.data as z.output<S>
}

/** Waits until the device answers (or the timeout passes) and says how it is. */
async function ready(device: Device, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (device.health().status !== 'online' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const health = device.health()
  print(`${health.id}: ${health.status}${health.error ? ` — ${health.error}` : ''}`)
}

async function main(): Promise<void> {
  if (!path || !action) fail(usage)
  const timeoutMs = Number(values['timeout-ms'])
  const watchMs = Number(values['watch-ms'])
  const line = { path, baudRate: Number(values.baud), reconnectMs: 500 }
  const opened = new Promise((r) => setTimeout(r, 300))

  if (action === 'open-barrier' || action === 'lower-barrier' || action === 'signals') {
    const barrier = createBarrier('commission/barrier', null, laneDevice(barrierConfigSchema, { kind: 'modbus-rtu', ...line, unitId: Number(values.unit), timeoutMs }))!
    barrier.onSignals((s) => print(`arm ${s.arm}, loop ${s.loopOccupied === null ? 'n/a' : s.loopOccupied ? 'occupied' : 'free'}`))
    await opened
    try {
      if (action === 'open-barrier') await barrier.open()
      if (action === 'lower-barrier') await barrier.lower()
      if (action !== 'signals') print(`${action}: acknowledged by the controller`)
      await new Promise((r) => setTimeout(r, watchMs))
    } finally {
      await ready(barrier, 0)
      await barrier.stop()
    }
    return
  }
  if (action === 'show') {
    if (!text) fail(usage)
    const colour = values.colour as DisplayColour
    if (!['red', 'green', 'yellow'].includes(colour)) fail('--colour must be red, green or yellow')
    const display = createDisplay('commission/display', null, laneDevice(displayConfigSchema, { kind: 'led', ...line, address: Number(values.address), timeoutMs }))!
    await opened
    try {
      await display.show(text!.split('\\n').map((part) => ({ text: part, colour })), values.voice)
      print('show: acknowledged by the display')
    } finally {
      await display.stop()
    }
    return
  }
  if (action === 'weight') {
    const scale = createScale('commission/scale', null, laneDevice(scaleConfigSchema, { kind: 'xk3190', ...line }))!
    scale.onWeight((reading) => print(`${reading.kg} kg${reading.stable ? ' (stable)' : ''}`))
    await new Promise((r) => setTimeout(r, watchMs))
    await ready(scale, 0)
    await scale.stop()
    return
  }
  fail(usage)
}

main().catch((error: unknown) => fail((error as Error).message))
