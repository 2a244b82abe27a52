/**
 * Plate read → barrier command latency of the lane driver, (a) deciding offline from the verification cache (the
 * platform refuses connections) and (b) online against the platform simulator in its own process on loopback, beside
 * the simulator's bare getCheckVehicle round trip measured in the same run, interleaved truck by truck (in turns
 * first and second) so both see the same load. Every read is recorded in a real SQLite file (synchronous=FULL), right
 * after the barrier command as in the booth. No target of its own in issue 20: the figures are printed beside the
 * round trip, with the lane's own share of an online decision.
 */
import { createServer } from 'node:net'
import { AlarmService } from '../src/main/core/alarms'
import { parseConfig } from '../src/main/core/config'
import { LaneDriver, type VehicleVerifier } from '../src/main/booth/lane'
import { PlatformClient } from '../src/main/core/platform'
import { openStore } from '../src/main/booth/store'
import { ModbusBarrier, defaultRegisters } from '../src/main/booth/devices/barrier-modbus-rtu/modbus-barrier'
import { startSimOnPty, type SimOnPty } from '../test/integration/serial-support'
import { eventually, startProcess, stopProcess, tempDir } from '../test/integration/support'
import { heading, report, summarize } from './support'

const COUNT = 300
const WARMUP = 50
const ENTERPRISE = { code: '4110020001', name: '许昌示范钢铁有限公司' }

async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * The real Modbus barrier adapter, stamping the moment the lane commands it to open (before the frame is written,
 * so the wire time at 9600 baud is not part of the lane's latency; `npm run bench` measures that separately).
 */
class TimedBarrier extends ModbusBarrier {
  openedAt: bigint | null = null
  lastCommand: Promise<void> = Promise.resolve()

  override open(): Promise<void> {
    this.openedAt = process.hrtime.bigint()
    return (this.lastCommand = super.open())
  }

  override lower(): Promise<void> {
    return (this.lastCommand = super.lower())
  }
}

/** A lane driver on a fresh database with one barrier lane: the Modbus adapter, the controller simulator on a pty. */
async function laneRig(verifier: VehicleVerifier, label: string, controller: SimOnPty) {
  const dataDir = tempDir(`bench-lane-${label}`)
  const config = parseConfig(
    {
      dataDir,
      platform: { baseUrl: 'http://127.0.0.1:1/ysgk', username: 'demo' },
      enterprise: ENTERPRISE,
      lanes: [{ id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' }],
      laneTiming: { dedupWindowMs: 0 }
    },
    dataDir
  )
  const store = openStore(dataDir)
  const alarms = new AlarmService({ store: store.repos.alarms, dwellAlarmMinutes: 240, repeatedRefusals: 3, repeatedRefusalWindowMinutes: 60, onRaised: () => {}, onUpdated: () => {} })
  const barrier = new TimedBarrier({
    id: 'in1/barrier',
    laneId: 'in1',
    path: controller.pty.booth,
    baudRate: 9600,
    unitId: 1,
    timeoutMs: 300,
    retries: 1,
    pollMs: 200,
    reconnectMs: 100,
    registers: defaultRegisters
  })
  await eventually('barrier online', () => (barrier.health().status === 'online' ? true : undefined))
  const driver = new LaneDriver({
    lanes: config.lanes,
    enterprise: ENTERPRISE,
    store,
    verifier,
    verifyBudgetMs: 1_500,
    timing: config.laneTiming,
    alarms,
    devices: () => ({ barrier, display: null, scale: null }),
    onPassage: () => {},
    onState: () => {}
  })
  // Plates 豫A00000 … 豫A99999, one per truck, so no read is a duplicate of another.
  const plate = (i: number) => `豫A${String(i).padStart(5, '0')}`
  return {
    store,
    plate,
    /**
     * One truck: milliseconds from the plate read to the barrier command. Then (not measured) the controller
     * acknowledges, the guard sends the truck back so the lane is free at once, and the arm is told to come down.
     */
    async read(i: number): Promise<number> {
      barrier.openedAt = null
      const start = process.hrtime.bigint()
      await driver.handlePlateRead({ laneId: 'in1', plate: plate(i), colour: '1', at: Date.now(), source: 'lpr' })
      const openedAt = barrier.openedAt as bigint | null
      if (openedAt === null) throw new Error(`${plate(i)}: the barrier was not told to open`)
      const ms = Number(openedAt - start) / 1e6
      await barrier.lastCommand
      driver.refuse({ laneId: 'in1', note: 'bench', passageId: driver.state('in1').current!.passageId! }, null)
      await barrier.lastCommand
      return ms
    },
    async close() {
      driver.stop()
      await barrier.stop()
      store.close()
    }
  }
}

heading('lane: plate read → barrier command')

// (a) Offline: the platform refuses connections; every plate has a cached verdict.
const offlinePlatform = new PlatformClient({ baseUrl: `http://127.0.0.1:${await refusedPort()}/ysgk`, organ: '4110020001', username: 'demo', password: 'x', requestTimeoutMs: 1_000 })
const controller = await startSimOnPty('barrier', ['--travel-ms', '20'])
const offline = await laneRig(offlinePlatform, 'offline', controller)
for (let i = 0; i < COUNT + WARMUP; i++) offline.store.verificationCache.put(offline.plate(i), '1', { isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' }, Date.now())
const offlineSamples: number[] = []
for (let i = 0; i < COUNT + WARMUP; i++) {
  const ms = await offline.read(i)
  if (i >= WARMUP) offlineSamples.push(ms)
}
await offline.close()
const offlineSummary = summarize(offlineSamples)
report('(a) offline, from the verification cache', offlineSummary, undefined, 'ms')

// (b) Online against the simulator process.
const sim = await startProcess('sim-platform.js', ['--port', '0'], { SIM_PLATFORM_PASSWORD: 'demo-password' }, /platform-sim listening /)
try {
  const platform = new PlatformClient({ baseUrl: `${sim.url}/ysgk`, organ: '4110020001', username: 'demo', password: 'demo-password', requestTimeoutMs: 5_000 })
  // The lane's own platform call, timed per truck, so its share can be taken out of each sample.
  let callMs = 0
  const timedPlatform: VehicleVerifier = {
    async checkVehicle(license, licenseColor, timeoutMs) {
      const asked = process.hrtime.bigint()
      try {
        return await platform.checkVehicle(license, licenseColor, timeoutMs)
      } finally {
        callMs = Number(process.hrtime.bigint() - asked) / 1e6
      }
    }
  }
  const online = await laneRig(timedPlatform, 'online', controller)
  const bare: number[] = []
  const lane: number[] = []
  const own: number[] = []
  const bareCall = async (i: number) => {
    const start = process.hrtime.bigint()
    await platform.checkVehicle(`豫B${String(i).padStart(5, '0')}`, '1', 1_500)
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  for (let i = 0; i < COUNT + WARMUP; i++) {
    // In turns, the baseline goes first and second, so neither has the other's warm connection or cache every time.
    let bareMs: number
    let laneMs: number
    if (i % 2 === 0) {
      bareMs = await bareCall(i)
      laneMs = await online.read(i)
    } else {
      laneMs = await online.read(i)
      bareMs = await bareCall(i)
    }
    if (i >= WARMUP) {
      bare.push(bareMs)
      lane.push(laneMs)
      own.push(laneMs - callMs)
    }
  }
  await online.close()
  const roundTrip = summarize(bare)
  const ownSummary = summarize(own)
  report('simulator getCheckVehicle round trip (baseline)', roundTrip, undefined, 'ms')
  report('(b) online, verified by the simulator', summarize(lane), roundTrip, 'ms')
  report('(b) the same, minus its own platform call', ownSummary, undefined, 'ms')
  console.log(
    `the lane's own share of an online decision: p50 ${ownSummary.p50.toFixed(2)} ms, p99 ${ownSummary.p99.toFixed(2)} ms beside a round trip of ` +
      `p50 ${roundTrip.p50.toFixed(2)} ms, p99 ${roundTrip.p99.toFixed(2)} ms; offline p99 ${offlineSummary.p99.toFixed(2)} ms`
  )
} finally {
  await stopProcess(sim)
  await controller.stop()
}
