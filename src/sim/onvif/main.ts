/**
 * The ONVIF plate-camera simulator as its own process (demo mode, tests, commissioning).
 *   node out/main/sim-onvif.js [--host 127.0.0.1] [--port 0] [--username admin] [--lane 1号入口] [--discovery-port 0 | --no-discovery] [--multicast]
 * The password comes from SIM_ONVIF_PASSWORD, never from the command line. Prints
 * "onvif-sim listening <device service URL>" and "onvif-sim discovery udp://host:port".
 */
import { parseArgs } from 'node:util'
import { startOnvifSim } from './server'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    username: { type: 'string', default: 'admin' },
    lane: { type: 'string', default: '车道' },
    'discovery-port': { type: 'string', default: '0' },
    'no-discovery': { type: 'boolean', default: false },
    multicast: { type: 'boolean', default: false }
  }
})

const sim = await startOnvifSim({
  host: values.host,
  port: Number(values.port),
  username: values.username,
  password: process.env.SIM_ONVIF_PASSWORD ?? 'admin123',
  laneName: values.lane,
  discoveryPort: values['no-discovery'] ? null : values.multicast ? 3702 : Number(values['discovery-port']),
  multicast: values.multicast
})
if (sim.discovery) process.stdout.write(`onvif-sim discovery ${sim.discovery}\n`)
process.stdout.write(`onvif-sim listening ${sim.url}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
