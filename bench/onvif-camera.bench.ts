/**
 * ONVIF camera figures against the simulator process: snapshot latency (digest auth, two HTTP round trips) against
 * a bare HTTP round trip to the same process; plate event to adapter callback; and what the live view costs the main
 * loop (event-loop delay while pumping 10 fps, against the same loop idle).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { OnvifCamera } from '../src/main/booth/devices/camera/onvif-camera'
import { LiveView } from '../src/main/booth/devices/camera/live-view'
import { spawnSimulator } from '../src/main/shell/demo'
import { heading, report, sampleMicros, summarize } from './support'

const PASSWORD = 'bench-password'
const sim = await spawnSimulator('out/main/sim-onvif.js', ['--port', '0', '--no-discovery'], { SIM_ONVIF_PASSWORD: PASSWORD }, /onvif-sim listening (http:\/\/\S+)/)
const url = sim.match[1]!
const origin = new URL(url).origin
const camera = new OnvifCamera({ id: 'bench/camera', laneId: 'bench', url, username: 'admin', password: PASSWORD, healthIntervalMs: 60_000 })
camera.start()
const deadline = Date.now() + 10_000
while (camera.health().status !== 'online') {
  if (Date.now() > deadline) throw new Error(`camera did not come online: ${camera.health().error}`)
  await new Promise((resolve) => setTimeout(resolve, 50))
}

try {
  heading('snapshot (HTTP Digest, sharp-rendered 640×360 JPEG)')
  const bare = summarize(await sampleMicros(200, () => fetch(`${origin}/nothing`).then((r) => r.arrayBuffer())))
  report('bare HTTP round trip to the simulator (baseline)', bare)
  report('camera.snapshot()', summarize(await sampleMicros(200, () => camera.snapshot())), bare)

  heading('plate event: admin raise → pull point → onPlate (includes the front-photo snapshot)')
  const latencies: number[] = []
  for (let i = 0; i < 40; i++) {
    const started = process.hrtime.bigint()
    const arrived = new Promise<void>((resolve) => {
      const off = camera.onPlate(() => {
        off()
        resolve()
      })
    })
    await fetch(`${origin}/admin/plate`, { method: 'POST', body: JSON.stringify({ plate: '豫A00005' }) })
    await arrived
    latencies.push(Number(process.hrtime.bigint() - started) / 1000)
  }
  report('plate event latency', summarize(latencies.slice(5)))

  heading('main-loop delay while the live view pumps 10 fps')
  const loopDelay = async (ms: number) => {
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    histogram.enable()
    await new Promise((resolve) => setTimeout(resolve, ms))
    histogram.disable()
    const samples = [histogram.percentile(50) / 1000, histogram.percentile(99) / 1000]
    return { count: histogram.count, p50: samples[0]!, p99: samples[1]!, mean: histogram.mean / 1000 }
  }
  const idle = await loopDelay(3_000)
  report('event-loop delay, idle (baseline)', idle)
  let published = 0
  const view = new LiveView({ snapshot: () => camera.snapshot(), hasCamera: () => true, fps: () => 10, publish: () => published++ })
  view.watch('bench', 'bench')
  const busy = await loopDelay(3_000)
  const stats = view.stats('bench')!
  view.stop()
  report('event-loop delay, live view 10 fps', busy, idle)
  console.log(`live view: ${(published / 3).toFixed(1)} frames/s published, ${stats.dropped} ticks dropped in 3 s`)
} finally {
  await camera.stop()
  sim.stop()
}
