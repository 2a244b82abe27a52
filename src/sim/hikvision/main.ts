/**
 * The Hikvision ANPR camera simulator as its own process (tests, bench, commissioning on a bench).
 *   node out/main/sim-hikvision.js [--host 127.0.0.1] [--port 0] [--username admin] [--push-url http://127.0.0.1:5781/lpr/in1] [--travel-ms 300] [--lane 1号入口]
 * The password comes from SIM_CAMERA_PASSWORD (default admin123). Prints "hikvision-sim listening <url>".
 */
import { parseArgs } from 'node:util'
import { startHikvisionSim } from './server'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    username: { type: 'string', default: 'admin' },
    'push-url': { type: 'string' },
    'travel-ms': { type: 'string', default: '300' },
    lane: { type: 'string', default: '车道' }
  }
})

const sim = await startHikvisionSim({
  host: values.host,
  port: Number(values.port),
  username: values.username,
  password: process.env.SIM_CAMERA_PASSWORD ?? 'admin123',
  pushUrl: values['push-url'] ?? null,
  travelMs: Number(values['travel-ms']),
  laneName: values.lane
})
process.stdout.write(`hikvision-sim listening ${sim.url}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
