/**
 * A plate event to the barrier command through the camera: the Hikvision camera simulator posts an ANPR alarm
 * (multipart XML + two JPEGs) to the booth's POST /lpr/in1; the booth verifies with the platform simulator, decides
 * and opens the barrier through the camera's ISAPI (HTTP Digest); measured until the camera has taken the open
 * command. Beside it, the bare HTTP round trip of one authenticated ISAPI request to the same simulator, which the
 * barrier command costs at least once. The simulators run in this process so both ends read one clock.
 * Then a 臻识 camera's open outside a push reply (a guard's release): ioctl + heartbeat over its TCP channel until the
 * camera took the open, beside a bare heartbeat round trip on a plain socket to the same simulator.
 */
import { connect, createServer as createTcpServer, createServer, type AddressInfo } from 'node:net'
import { cameraBarrier } from '../src/main/booth/devices/barrier-camera'
import { DigestClient } from '../src/main/booth/devices/camera'
import { demoConfig, DEMO_PLATFORM, type GateConfig } from '../src/main/core/config'
import { startSingleGate } from '../src/main/roles/single-gate'
import { startHikvisionSim } from '../src/sim/hikvision/server'
import { demoVehicles } from '../src/sim/platform/demo-vehicles'
import { startPlatformSim } from '../src/sim/platform/server'
import { VzenithSim } from '../src/sim/vzenith-rs485/vzenith-sim'
import { tempDir } from '../test/integration/support'
import { heading, report, sampleMicros, summarize } from './support'

const SAMPLES = 60
const PASSWORD_ENV = 'BENCH_CAMERA_PASSWORD'
process.env[PASSWORD_ENV] = 'admin123'

const platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
const lprPort = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number }
    probe.close(() => resolve(port))
  })
})
const camera = await startHikvisionSim({ host: '127.0.0.1', port: 0, username: 'admin', password: 'admin123', pushUrl: `http://127.0.0.1:${lprPort}/lpr/in1`, travelMs: 5, laneName: 'bench' })
const base = demoConfig({ dataDir: tempDir('bench-devices'), platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort })
const barrier = cameraBarrier.config.parse({ kind: 'camera', brand: 'hikvision', url: camera.url, passwordEnv: PASSWORD_ENV, inputs: { loop: 1, armUp: 2 }, pollMs: 50 })
const config: GateConfig = { ...base, lanes: [{ ...base.lanes[0]!, barrier }, base.lanes[1]!] }
const app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'bench', demo: false, log: () => {} })

const until = async (probe: () => boolean) => {
  while (!probe()) await new Promise((resolve) => setTimeout(resolve, 5))
}
await until(() => app.devices.list().find((device) => device.id === 'in1/barrier')?.status === 'online')

heading(`plate event → barrier command through a Hikvision camera (ISAPI, digest), ${SAMPLES} trucks`)
const client = new DigestClient({ username: 'admin', password: 'admin123' }, 2_000)
const bare = summarize(await sampleMicros(SAMPLES, () => client.request(`${camera.url}/ISAPI/System/deviceInfo`)))
report('bare ISAPI round trip (GET deviceInfo, digest)', bare)

const toCommand: number[] = []
for (let i = 0; i < SAMPLES + 10; i++) {
  let sent = 0n
  camera.hooks.onPush = () => (sent = process.hrtime.bigint())
  const commanded = new Promise<bigint>((resolve) => (camera.gate.onCommand = (command) => command === 'open' && resolve(process.hrtime.bigint())))
  void camera.pushPlate({ plate: `豫A${String(10_000 + i)}` })
  const at = await commanded
  if (i >= 10) toCommand.push(Number(at - sent) / 1000)
  // Let the truck through so the lane is free for the next one (not measured).
  await until(() => camera.gate.arm === 'up')
  camera.gate.truck(200)
  await until(() => app.lanes.state('in1').phase === 'idle')
}
report('ANPR push → open command taken by the camera', summarize(toCommand), bare)

await app.close()
await camera.close()

heading(`a 臻识 camera's open outside a push reply (TCP 8131: ioctl + heartbeat), ${SAMPLES} opens`)
const vz = new VzenithSim({ address: 0, travelMs: 5, pushUrl: null, laneName: 'bench', log: () => {} })
const vzServer = createTcpServer((socket) => socket.on('data', vz.session((bytes) => socket.write(bytes))))
await new Promise<void>((resolve) => vzServer.listen(0, '127.0.0.1', resolve))
const vzPort = (vzServer.address() as AddressInfo).port
const raw = connect({ host: '127.0.0.1', port: vzPort })
await new Promise((resolve) => raw.once('connect', resolve))
raw.setNoDelay(true)
const heartbeat = Buffer.from([0x56, 0x5a, 1, 0, 0, 0, 0, 0])
const bareVz = summarize(
  await sampleMicros(SAMPLES, () => new Promise((resolve) => {
    raw.once('data', resolve)
    raw.write(heartbeat)
  }))
)
raw.destroy()
report('bare heartbeat round trip (plain socket)', bareVz)
const vzBarrier = cameraBarrier.create({ id: 'bench/barrier', laneId: 'bench' }, cameraBarrier.config.parse({ kind: 'camera', brand: 'vzenith', url: `tcp://127.0.0.1:${vzPort}`, pollMs: 60_000 }))
const opened = summarize(
  await sampleMicros(SAMPLES, async () => {
    const taken = new Promise((resolve) => (vz.gate.onCommand = resolve))
    await vzBarrier.open()
    await taken
  })
)
report('open (ioctl + heartbeat answered, camera took it)', opened, bareVz)
await vzBarrier.stop()
vzServer.close()
await platform.close()
