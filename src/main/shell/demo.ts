import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { demoKindOf, LANE_DEVICE_ROLES } from '../booth/devices'
import type { GateConfig } from '../core/config'
import { DEMO_PLATFORM } from '../core/config'
import type { DemoLaneDevices } from '../core/config/demo'

export interface DemoPlatform {
  /** e.g. http://127.0.0.1:40123/ysgk */
  baseUrl: string
  stop(): void
}

/** A simulator process as demo start-up needs it: its output, its end, a way to stop it. */
export interface SimulatorProcess {
  stdout: NodeJS.ReadableStream
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

/**
 * Starts a built simulator entry in its own process. Plain Node (the host) runs it with child_process; the Electron
 * shell passes its own (utilityProcess), because the installed app's RunAsNode fuse is off and its binary cannot act
 * as Node for ELECTRON_RUN_AS_NODE.
 */
export type SimulatorSpawner = (script: string, args: string[], env: NodeJS.ProcessEnv) => SimulatorProcess

export const nodeSpawner: SimulatorSpawner = (script, args, env) => {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  return { stdout: child.stdout, onExit: (listener) => child.once('exit', listener), kill: () => child.kill('SIGTERM') }
}

/** Starts a simulator and resolves with the first match of `ready` on its stdout and every line printed up to it. */
export function spawnSimulator(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  spawner: SimulatorSpawner = nodeSpawner
): Promise<{ match: RegExpExecArray; lines: string[]; child: SimulatorProcess; stop(): void }> {
  const child = spawner(script, args, env)
  return new Promise((resolve, reject) => {
    const lines: string[] = []
    const output = createInterface({ input: child.stdout })
    child.onExit((code) => reject(new Error(`${script} exited with code ${code}`)))
    output.on('line', (line) => {
      lines.push(line)
      const match = ready.exec(line)
      if (match) resolve({ match, lines, child, stop: () => child.kill() })
    })
  })
}

export interface DemoDevices {
  /** Per lane id: where the booth connects (tcp://127.0.0.1:port) and each simulator's control URL. */
  lanes: Record<string, DemoLaneDevices & { control: DemoLaneDevices }>
  stop(): void
}

/**
 * Demo mode's hardware: per lane one simulator per device role, the demo kind's of the device table (a barrier
 * controller through which a truck drives whenever the arm is up, an LED display, a weighbridge), each its own
 * process on a TCP port, as behind an RS485-to-Ethernet converter (no socat needed). `outDir` is the folder of the
 * built entries.
 */
export async function startDemoDevices(outDir: string, laneIds: readonly string[], spawner: SimulatorSpawner = nodeSpawner): Promise<DemoDevices> {
  const children: SimulatorProcess[] = []
  const stop = () => children.forEach((child) => child.kill())
  const start = async ({ name, demoArgs }: { name: string; demoArgs: readonly string[] }) => {
    const { child, lines } = await spawnSimulator(
      join(outDir, `sim-${name}.js`),
      ['--serial', 'tcp://127.0.0.1:0', ...demoArgs],
      { SIM_PARENT_PID: String(process.pid) },
      new RegExp(`^${name}-sim control `),
      spawner
    )
    children.push(child)
    const find = (what: string) => lines.map((line) => new RegExp(`^${name}-sim ${what} (\\S+)`).exec(line)?.[1]).find(Boolean)!
    return { serial: find('serial'), control: find('control') }
  }
  try {
    const lanes: DemoDevices['lanes'] = {}
    for (const laneId of laneIds) {
      const started = await Promise.all(LANE_DEVICE_ROLES.map(async (role) => [role, await start(demoKindOf(role).simulator)] as const))
      lanes[laneId] = {
        ...(Object.fromEntries(started.map(([role, sim]) => [role, sim.serial])) as DemoLaneDevices),
        control: Object.fromEntries(started.map(([role, sim]) => [role, sim.control])) as DemoLaneDevices
      }
    }
    return { lanes, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/**
 * Demo mode: the city-platform simulator in its own process (the built out/main/sim-platform.js), seeded with demo
 * vehicles. `script` is the built simulator entry, resolved by the calling entry (this module may be bundled into a
 * chunk elsewhere).
 */
export async function startDemoPlatform(script: string, spawner: SimulatorSpawner = nodeSpawner): Promise<DemoPlatform> {
  const { match, stop } = await spawnSimulator(
    script,
    ['--port', '0', '--demo-vehicles', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username],
    { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password },
    /platform-sim listening (http:\/\/\S+)/,
    spawner
  )
  return { baseUrl: `${match[1]}/ysgk`, stop }
}

export const DEMO_CAMERA = { username: 'admin', password: 'demo-camera', passwordEnv: 'GATE_CAMERA_PASSWORD' } as const

export interface DemoCameras {
  /** The demo config with every lane's camera switched to its simulated ONVIF camera. */
  config: GateConfig
  /** Pass to createApp: the simulated cameras' password, by its environment-variable name. */
  secrets: Record<string, string>
  stop(): void
}

/** Demo mode: one ONVIF camera simulator process (out/main/sim-onvif.js) per lane, configured as the lane's camera. */
export async function startDemoCameras(script: string, config: GateConfig, spawner: SimulatorSpawner = nodeSpawner): Promise<DemoCameras> {
  const started = await Promise.all(
    config.lanes.map((lane) =>
      spawnSimulator(script, ['--port', '0', '--username', DEMO_CAMERA.username, '--lane', lane.name, '--no-discovery'], { SIM_ONVIF_PASSWORD: DEMO_CAMERA.password }, /onvif-sim listening (http:\/\/\S+)/, spawner)
    )
  )
  return {
    config: {
      ...config,
      lanes: config.lanes.map((lane, index) => ({
        ...lane,
        camera: { ...lane.camera, kind: 'onvif', url: started[index]!.match[1]!, username: DEMO_CAMERA.username, passwordEnv: DEMO_CAMERA.passwordEnv }
      }))
    },
    secrets: { [DEMO_CAMERA.passwordEnv]: DEMO_CAMERA.password },
    stop: () => started.forEach((camera) => camera.stop())
  }
}
