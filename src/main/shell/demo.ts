import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { demoKindOf, LANE_DEVICE_ROLES } from '../booth/devices'
import { demoConfig, DEMO_LANE_IDS, DEMO_PLATFORM, type GateConfig } from '../core/config'
import type { DemoLaneDevices } from '../core/config/demo'

/** A simulator process as demo start-up needs it: its output, its end, a way to stop it. */
export interface SimulatorProcess {
  readonly pid: number | undefined
  stdout: NodeJS.ReadableStream
  /** Called once when it exits, or could not be started (code null). */
  onExit(listener: (code: number | null) => void): void
  exited(): boolean
  kill(signal: 'SIGTERM' | 'SIGKILL'): void
}

/**
 * Starts a built simulator entry in its own process. Plain Node (the host) runs it with child_process; the Electron
 * shell passes its own (utilityProcess), because the installed app's RunAsNode fuse is off and its binary cannot act
 * as Node for ELECTRON_RUN_AS_NODE.
 */
export type SimulatorSpawner = (script: string, args: string[], env: NodeJS.ProcessEnv) => SimulatorProcess

export const nodeSpawner: SimulatorSpawner = (script, args, env) => {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let exited = false
  const ended = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.once('error', () => resolve(null))
  }).then((code) => {
    exited = true
    return code
  })
  return {
    pid: child.pid,
    stdout: child.stdout,
    onExit: (listener) => void ended.then(listener),
    exited: () => exited,
    kill: (signal) => child.kill(signal)
  }
}

/** Starts a simulator and resolves with the first match of `ready` on its stdout and every line printed up to it. */
export function spawnSimulator(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  spawner: SimulatorSpawner = nodeSpawner
): Promise<{ match: RegExpExecArray; lines: string[]; child: SimulatorProcess; stop(): void }> {
  return waitReady(spawner(script, args, env), script, ready)
}

function waitReady(child: SimulatorProcess, script: string, ready: RegExp): Promise<{ match: RegExpExecArray; lines: string[]; child: SimulatorProcess; stop(): void }> {
  return new Promise((resolve, reject) => {
    const lines: string[] = []
    const output = createInterface({ input: child.stdout })
    child.onExit((code) => reject(new Error(`${script} exited with code ${code}`)))
    output.on('line', (line) => {
      lines.push(line)
      const match = ready.exec(line)
      if (match) resolve({ match, lines, child, stop: () => child.kill('SIGTERM') })
    })
  })
}

/** How long a simulator may take to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 3_000

/**
 * Every simulator process of the demo, known from the moment it is spawned, so that none outlives the shell: made
 * before the demo starts, so a signal arriving part-way through the start-up stops what had started.
 */
export class DemoSimulators {
  private readonly children: { name: string; child: SimulatorProcess }[] = []
  private stopped = false

  /** `outDir`: the folder of the built simulator entries (out/main); `spawner`: how a simulator process is started. */
  constructor(
    private readonly outDir: string,
    private readonly spawner: SimulatorSpawner = nodeSpawner
  ) {}

  start(name: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp) {
    if (this.stopped) return Promise.reject(new Error(`the demo is stopping: ${name} not started`))
    const script = join(this.outDir, `${name}.js`)
    const child = this.spawner(script, [...args], env)
    this.children.push({ name, child })
    return waitReady(child, script, ready)
  }

  list(): { name: string; pid: number }[] {
    return this.children.flatMap(({ name, child }) => (child.pid === undefined ? [] : [{ name, pid: child.pid }]))
  }

  /** SIGTERM to each, and waits until every one has exited (SIGKILL after STOP_GRACE_MS); starts no more. */
  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.children.map(({ child }) => stopChild(child)))
  }
}

function stopChild(child: SimulatorProcess): Promise<void> {
  if (child.exited() || child.pid === undefined) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
    child.onExit(() => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export const DEMO_CAMERA = { username: 'admin', password: 'demo-camera', passwordEnv: 'GATE_CAMERA_PASSWORD' } as const
export const DEMO_NVR = { username: 'admin', password: 'demo-nvr', passwordEnv: 'GATE_NVR_PASSWORD' } as const

export interface Demo {
  /** The demo plant wired to its simulators: lanes with barrier, display, scale and ONVIF camera each. */
  config: GateConfig
  /** The simulated platform's password. */
  platformPassword: string
  /** The simulated cameras' password, by its environment-variable name (the role's `secrets`). */
  secrets: Record<string, string>
  /** Per lane id, each simulated device's control endpoint. */
  controls: Record<string, DemoLaneDevices>
}

/**
 * Demo mode's world, each part its own simulator process (see DemoSimulators): the city platform
 * seeded with demo vehicles, and per lane a barrier (a truck drives through whenever the arm is up), an LED display
 * and a weighbridge on TCP ports (as behind an RS485-to-Ethernet converter, no socat needed) and an ONVIF camera; one
 * NVR filming every lane.
 * Used by the Electron shell and the headless host alike; whoever made `simulators` stops them (also after a failure).
 */
export async function startDemo(simulators: DemoSimulators, dataDir: string): Promise<Demo> {
  // The simulators start side by side (each takes its own Node start-up); all have started or failed before a failure
  // is thrown, so the caller's clean-up finds every one that runs.
  const [platform, devices] = await allStarted([
    simulators.start(
      'sim-platform',
      ['--port', '0', '--demo-vehicles', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username],
      { SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password },
      /platform-sim listening (http:\/\/\S+)/
    ),
    startDevices(simulators)
  ] as const)
  const config = demoConfig({ dataDir, platformBaseUrl: `${platform.match[1]}/ysgk`, devices })
  const cameras = await Promise.all(
    config.lanes.map((lane) =>
      simulators.start(
        'sim-onvif',
        ['--port', '0', '--username', DEMO_CAMERA.username, '--lane', lane.name, '--no-discovery'],
        { SIM_ONVIF_PASSWORD: DEMO_CAMERA.password },
        /onvif-sim listening (http:\/\/\S+)/
      )
    )
  )
  // One recorder films every lane, lane n on channel n (track n01), the second lane through ONVIF Profile G (recording
  // rec2): its clips show in the journal (docs/video.md).
  const nvr = await simulators.start('sim-nvr', ['--port', '0', '--username', DEMO_NVR.username, '--retain-hours', '72'], { SIM_NVR_PASSWORD: DEMO_NVR.password }, /nvr-sim listening (http:\/\/\S+)/)
  return {
    config: {
      ...config,
      lanes: config.lanes.map((lane, index) => ({
        ...lane,
        camera: { ...lane.camera, kind: 'onvif', url: cameras[index]!.match[1]!, username: DEMO_CAMERA.username, passwordEnv: DEMO_CAMERA.passwordEnv },
        nvr: [
          index === 1
            ? { ...DEMO_NVR_CHANNEL, kind: 'onvif-profile-g' as const, url: `${nvr.match[1]!}/onvif/device_service`, channel: 'rec2' }
            : { ...DEMO_NVR_CHANNEL, url: nvr.match[1]!, channel: `${index + 1}01` }
        ]
      }))
    },
    platformPassword: DEMO_PLATFORM.password,
    secrets: { [DEMO_CAMERA.passwordEnv]: DEMO_CAMERA.password, [DEMO_NVR.passwordEnv]: DEMO_NVR.password },
    controls: Object.fromEntries(Object.entries(devices).map(([laneId, lane]) => [laneId, lane.control]))
  }
}

const DEMO_NVR_CHANNEL = {
  name: '演示录像机',
  kind: 'hikvision-isapi',
  username: DEMO_NVR.username,
  passwordEnv: DEMO_NVR.passwordEnv,
  deviceTime: 'utc',
  keepDays: 3,
  requestTimeoutMs: 15_000
} as const

/** Per demo lane one simulator per device role (the table's demo kind): where the booth connects and their control URLs. */
async function startDevices(simulators: DemoSimulators): Promise<Record<string, DemoLaneDevices & { control: DemoLaneDevices }>> {
  const start = async ({ name, demoArgs }: { name: string; demoArgs: readonly string[] }) => {
    const { lines } = await simulators.start(
      `sim-${name}`,
      ['--serial', 'tcp://127.0.0.1:0', ...demoArgs],
      { SIM_PARENT_PID: String(process.pid) },
      new RegExp(`^${name}-sim control `)
    )
    const find = (what: string) => lines.map((line) => new RegExp(`^${name}-sim ${what} (\\S+)`).exec(line)?.[1]).find(Boolean)!
    return { serial: find('serial'), control: find('control') }
  }
  const lanes: Record<string, DemoLaneDevices & { control: DemoLaneDevices }> = {}
  const perLane = await allStarted(DEMO_LANE_IDS.map(() => allStarted(LANE_DEVICE_ROLES.map(async (role) => [role, await start(demoKindOf(role).simulator)] as const))))
  for (const [index, laneId] of DEMO_LANE_IDS.entries()) {
    const started = perLane[index]!
    lanes[laneId] = {
      ...(Object.fromEntries(started.map(([role, sim]) => [role, sim.serial])) as DemoLaneDevices),
      control: Object.fromEntries(started.map(([role, sim]) => [role, sim.control])) as DemoLaneDevices
    }
  }
  return lanes
}

/** Promise.all that waits for every start to end, so none is left starting unseen when one has failed. */
async function allStarted<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(starts)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T
}
