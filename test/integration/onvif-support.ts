import { eventually, startProcess, stopProcess, type RunningProcess } from './support'

export const CAMERA_USER = 'admin'
export const CAMERA_PASSWORD = 'cam-secret-1'

export interface SimCamera {
  process: RunningProcess
  /** Device service URL. */
  url: string
  port: number
  discovery: { address: string; port: number }
  admin(path: 'plate' | 'input' | 'fault' | 'state', body: unknown): Promise<{ subscriptions?: number; renewals?: number }>
  /** Raises an event once a pull-point subscription exists to receive it (an event with no subscriber is lost). */
  raiseWhenSubscribed(path: 'plate' | 'input', body: unknown): Promise<void>
}

/** The ONVIF simulator in its own process (out/main/sim-onvif.js), on loopback. */
export async function startSimCamera(options: { port?: number; lane?: string } = {}): Promise<SimCamera> {
  const running = await startProcess(
    'sim-onvif.js',
    ['--port', String(options.port ?? 0), '--username', CAMERA_USER, '--lane', options.lane ?? '1号入口'],
    { SIM_ONVIF_PASSWORD: CAMERA_PASSWORD },
    /onvif-sim listening /
  )
  const discovery = /onvif-sim discovery udp:\/\/([\d.]+):(\d+)/.exec(running.output())!
  const base = new URL(running.url)
  const admin = async (path: string, body: unknown) =>
    (await (await fetch(`${base.origin}/admin/${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as { subscriptions?: number; renewals?: number }
  return {
    process: running,
    url: running.url,
    port: Number(base.port),
    discovery: { address: discovery[1]!, port: Number(discovery[2]) },
    admin,
    async raiseWhenSubscribed(path, body) {
      await eventually(`a subscriber for ${path}`, async () => (((await admin(path, body)).subscriptions ?? 0) > 0 ? true : undefined))
    }
  }
}

export function stopSimCamera(camera: SimCamera | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return stopProcess(camera?.process, signal)
}
