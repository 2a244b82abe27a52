import { parseArgs } from 'node:util'

/** What both plate-camera simulators take from their command line (and SIM_CAMERA_PASSWORD). */
export interface CameraSimOptions {
  host: string
  port: number
  username: string
  password: string
  /** Where the camera posts its plate events (the booth's POST /lpr/{laneId}), or null. */
  pushUrl: string | null
  travelMs: number
  laneName: string
}

/**
 * A plate-camera simulator as its own process: reads the shared command line, starts the camera, prints
 * "<name>-sim listening <url>" and stops on SIGTERM/SIGINT.
 */
export async function runCameraSimProcess(name: string, start: (options: CameraSimOptions) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
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
  const sim = await start({
    host: values.host,
    port: Number(values.port),
    username: values.username,
    password: process.env.SIM_CAMERA_PASSWORD ?? 'admin123',
    pushUrl: values['push-url'] ?? null,
    travelMs: Number(values['travel-ms']),
    laneName: values.lane
  })
  process.stdout.write(`${name}-sim listening ${sim.url}\n`)
  const stop = () => void sim.close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
