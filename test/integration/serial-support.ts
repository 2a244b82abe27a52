import { postJson, startProcess, stopProcess, type RunningProcess } from './support'
import { startPtyPair, type PtyPair } from './pty'

export { ptyLinks, startPtyPair, type PtyPair } from './pty'

/** A serial simulator (out/main/sim-*.js) on `serial`, ready once it printed its control URL. */
export function startSerialSim(kind: 'barrier' | 'led' | 'scale' | 'onbon' | 'vzenith-rs485', serial: string, args: string[] = []): Promise<RunningProcess> {
  return startProcess(`sim-${kind}.js`, ['--serial', serial, ...args], {}, new RegExp(`${kind}-sim control `))
}

/** The serial URL a simulator printed (the bound port for tcp://…:0). */
export function simSerialUrl(sim: RunningProcess): string {
  const match = /-sim serial (\S+)/.exec(sim.output())
  if (!match) throw new Error(`simulator printed no serial URL:\n${sim.output()}`)
  return match[1]!
}

export async function simControl(sim: RunningProcess, action: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const reply = await postJson(`${sim.url}/${action}`, body)
  if (reply.status !== 200) throw new Error(`${action}: ${reply.status} ${JSON.stringify(reply.body)}`)
  return reply.body.result
}

export async function simState(sim: RunningProcess): Promise<any> {
  return (await fetch(`${sim.url}/state`)).json()
}

/** A serial simulator on the device end of its own socat pty pair; the booth opens `pty.booth`. */
export interface SimOnPty {
  pty: PtyPair
  sim: RunningProcess
  stop(): Promise<void>
}

export async function startSimOnPty(kind: 'barrier' | 'led' | 'scale' | 'onbon' | 'vzenith-rs485', args: string[] = []): Promise<SimOnPty> {
  const pty = await startPtyPair()
  const sim = await startSerialSim(kind, pty.device, args)
  return {
    pty,
    sim,
    async stop() {
      await stopProcess(sim)
      await pty.stop()
    }
  }
}
