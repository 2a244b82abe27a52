/**
 * Barrier command latency at 9600 baud: from `barrier.open()` to the complete Modbus frame at the controller's end
 * of a real pty, and to the acknowledged command. Baseline, measured in the same run: the same frame written by a bare
 * SerialPort to the same pty, timed to its arrival at the controller's end (the pty's own wire time). Each open() is
 * timed on its own: the previous command's acknowledgement is awaited before the clock starts, not inside it. The
 * frame's UART time at 9600 baud 8N1, which a pty does not simulate, is printed for reference: on a real RS485 line it
 * adds to both.
 */
import { SerialPort } from 'serialport'
import { ModbusBarrier, defaultRegisters } from '../src/main/booth/devices/barrier-modbus-rtu/modbus-barrier'
import { COIL_ON, encodeBitsResponse, encodeRequest, FunctionCode, RequestDecoder } from '../src/main/booth/devices/modbus/rtu'
import { startPtyPair } from '../test/integration/pty'
import { heading, report, sampleMicros, summarize } from './support'

const BAUD = 9600
const SAMPLES = 300
const openFrame = encodeRequest({ unit: 1, fn: FunctionCode.writeSingleCoil, address: 0, value: COIL_ON })
// 8N1: a start bit, 8 data bits and a stop bit per byte.
const wireMicros = (openFrame.length * 10 * 1e6) / BAUD

const pty = await startPtyPair()
const controller = new SerialPort({ path: pty.device, baudRate: BAUD })
const decoder = new RequestDecoder(1)
let arrived: (() => void) | null = null
controller.on('data', (bytes: Buffer) => {
  for (const request of decoder.push(bytes)) {
    if (request.fn === FunctionCode.writeSingleCoil) arrived?.()
    // Answer as the controller would: echo the coil write; for the one poll at start-up, arm down, loop free.
    const inputs = Array.from({ length: request.value }, (_, i) => request.address + i === defaultRegisters.armDownInput)
    controller.write(request.fn === FunctionCode.writeSingleCoil ? encodeRequest(request) : encodeBitsResponse(1, request.fn, inputs))
  }
})
await new Promise<void>((resolve) => controller.once('open', () => resolve()))

/** The baseline before the barrier takes the port: the frame written by a bare SerialPort, until it is complete at the far end. */
const bare = new SerialPort({ path: pty.booth, baudRate: BAUD })
await new Promise<void>((resolve) => bare.once('open', () => resolve()))
bare.on('data', () => {}) // the controller's echo replies, not needed here
const bareWrites = await sampleMicros(SAMPLES, async () => {
  const frameSeen = new Promise<void>((resolve) => (arrived = resolve))
  bare.write(openFrame)
  await frameSeen
})
await new Promise<void>((resolve) => bare.close(() => resolve()))
arrived = null

const barrier = new ModbusBarrier({
  id: 'bench/barrier',
  laneId: null,
  path: pty.booth,
  baudRate: BAUD,
  unitId: 1,
  timeoutMs: 1000,
  retries: 0,
  pollMs: 3_600_000,
  reconnectMs: 1000,
  registers: defaultRegisters
})
while (barrier.signals().arm !== 'down') await new Promise((resolve) => setTimeout(resolve, 20))

heading(`barrier.open() at ${BAUD} baud over a pty (frame ${openFrame.length} bytes)`)
console.log(`UART time of the frame at ${BAUD} baud 8N1: ${(wireMicros / 1000).toFixed(2)} ms (not simulated by a pty; adds on a real line)`)
const baseline = summarize(bareWrites)
report('baseline: the same frame by a bare SerialPort write', baseline)

const toFrame: number[] = []
for (let i = 0; i < SAMPLES + 50; i++) {
  const frameSeen = new Promise<void>((resolve) => (arrived = resolve))
  const start = process.hrtime.bigint()
  const acked = barrier.open()
  await frameSeen
  if (i >= 50) toFrame.push(Number(process.hrtime.bigint() - start) / 1000)
  await acked
}
report('open() → complete frame at the controller end', summarize(toFrame), baseline)

const roundTrip = await sampleMicros(SAMPLES, () => barrier.open())
report('open() → acknowledged (request + echo reply)', summarize(roundTrip), baseline)

await barrier.stop()
await new Promise<void>((resolve) => controller.close(() => resolve()))
await pty.stop()
