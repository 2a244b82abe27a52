/**
 * The device registry inside the booth: lanes' serial devices built from the config (over real ptys to the
 * simulators), `devices.health` over the router, `device.health` events on every change, and `register` for devices
 * owned elsewhere (cameras).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { DeviceHealthView } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { createDevice } from '../../src/main/booth/devices'
import { defaultRegisters } from '../../src/main/booth/devices/barrier-modbus-rtu/modbus-barrier'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { eventually, GUARD_CONTEXT, stopProcess, tempDir, type RunningProcess } from './support'
import { simControl, startPtyPair, startSerialSim, type PtyPair } from './serial-support'

let platform: PlatformSim | undefined
let app: SingleGate | undefined
const ptys: PtyPair[] = []
const sims: RunningProcess[] = []

afterEach(async () => {
  await app?.close()
  await platform?.close()
  for (const sim of sims.splice(0)) await stopProcess(sim)
  for (const pty of ptys.splice(0)) await pty.stop()
  app = platform = undefined
})

async function simOnPty(kind: 'barrier' | 'led' | 'scale', args: string[] = []): Promise<{ booth: string; sim: RunningProcess }> {
  const pty = await startPtyPair()
  ptys.push(pty)
  const sim = await startSerialSim(kind, pty.device, args)
  sims.push(sim)
  return { booth: pty.booth, sim }
}

describe('device registry in the app', () => {
  it('builds the lane devices from the config, reports them, publishes changes, and takes registrations', async () => {
    const barrier = await simOnPty('barrier', ['--travel-ms', '200'])
    const display = await simOnPty('led')
    const scale = await simOnPty('scale', ['--interval-ms', '50'])
    platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const config = demoConfig({ dataDir: tempDir('registry'), platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
    config.lanes[0] = {
      ...config.lanes[0]!,
      barrier: { kind: 'modbus-rtu', path: barrier.booth, baudRate: 9600, reconnectMs: 100, unitId: 1, timeoutMs: 500, retries: 1, pollMs: 50, registers: defaultRegisters },
      display: { kind: 'led', protocol: '0x64', path: display.booth, baudRate: 9600, reconnectMs: 100, address: 0, timeoutMs: 500, password: '000000', probeMs: 60_000, lines: 4 },
      scale: { kind: 'xk3190', path: scale.booth, baudRate: 9600, reconnectMs: 100, stableToleranceKg: 20, settleMs: 300, staleMs: 500 }
    }
    app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
    const events: DeviceHealthView[] = []
    app.events.subscribe((event, payload) => {
      if (event === 'device.health') events.push(payload as DeviceHealthView)
    })

    const health = async () => {
      const reply = await app!.router.dispatch('devices.health', {}, GUARD_CONTEXT)
      if (!reply.ok) throw new Error(reply.error.message)
      return reply.result as DeviceHealthView[]
    }
    await eventually('all three online', async () => ((await health()).every((device) => device.status === 'online') ? true : undefined))
    expect((await health()).map((device) => device.id)).toEqual(['in1/barrier', 'in1/display', 'in1/scale'])

    // The lane's barrier is the adapter the config named: it really drives the controller.
    const lane = app.laneDevices.get('in1')!
    await lane.barrier!.open()
    await eventually('arm up', () => (lane.barrier!.signals().arm === 'up' ? true : undefined))
    expect(app.laneDevices.get('out1')).toEqual({ barrier: null, display: null, scale: null })

    // A change goes out as a device.health event, with the instant as ISO-8601.
    await simControl(scale.sim, 'silent', { on: true })
    const offline = await eventually('scale offline event', () => events.find((e) => e.id === 'in1/scale' && e.status === 'offline'))
    expect(offline).toMatchObject({ kind: 'scale', laneId: 'in1', error: 'no weight frame for 500 ms' })
    expect(offline.lastSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    // Devices owned elsewhere register themselves; ids stay unique; unregistering removes them from the list.
    expect(() => app!.devices.register(lane.display!)).toThrow(/in1\/display is already registered/)
    // Nothing listens on port 1: the extra scale stays offline with the reason.
    const extra = createDevice('scale', 'out1/scale', 'out1', { kind: 'xk3190', path: 'tcp://127.0.0.1:1', baudRate: 9600, reconnectMs: 100, stableToleranceKg: 20, settleMs: 300, staleMs: 500 })!
    const unregister = app.devices.register(extra)
    await eventually('extra listed as unreachable', async () => {
      const listed = (await health()).find((device) => device.id === 'out1/scale')
      return listed?.status === 'offline' && /cannot open tcp:\/\/127\.0\.0\.1:1/.test(listed.error ?? '') ? true : undefined
    })
    unregister()
    await extra.stop()
    expect((await health()).map((device) => device.id)).toEqual(['in1/barrier', 'in1/display', 'in1/scale'])
  })
})
