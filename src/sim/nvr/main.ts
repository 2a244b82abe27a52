/**
 * The NVR simulator (Hikvision ISAPI ContentMgmt search and download; ONVIF Profile G Recording Search, Replay and
 * the RTSP replay server) as its own process.
 *   node out/main/sim-nvr.js [--host 127.0.0.1] [--port 0] [--rtsp-port 0] [--username admin] [--retain-hours 72] [--device-time utc|beijing]
 * The password comes from SIM_NVR_PASSWORD, never from the command line. Prints "nvr-sim listening <base URL>
 * rtsp <port>"; the ONVIF device service is <base URL>/onvif/device_service, recording tokens rec1–rec4.
 * Faults: POST /admin/fault {"mode": "none" | "slow" | "unauthorized" | "no-recording" | "disconnect" | "rtsp-garbage" |
 * "rtsp-truncated" | "realtime", "slowMs": 3000}.
 */
import { parseArgs } from 'node:util'
import { startNvrSim } from './server'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'rtsp-port': { type: 'string', default: '0' },
    username: { type: 'string', default: 'admin' },
    'retain-hours': { type: 'string', default: '72' },
    'device-time': { type: 'string', default: 'utc' }
  }
})

const sim = await startNvrSim({
  host: values.host,
  port: Number(values.port),
  username: values.username,
  password: process.env.SIM_NVR_PASSWORD ?? 'admin123',
  retainHours: Number(values['retain-hours']),
  deviceTime: values['device-time'] === 'beijing' ? 'beijing' : 'utc',
  rtspPort: Number(values['rtsp-port'])
})
process.stdout.write(`nvr-sim listening ${sim.url} rtsp ${sim.rtspPort}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
