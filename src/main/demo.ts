import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { DEMO_PLATFORM } from './config'

export interface DemoPlatform {
  /** e.g. http://127.0.0.1:40123/ysgk */
  baseUrl: string
  stop(): void
}

/**
 * Demo mode: the city-platform simulator in its own process (the built out/main/sim-platform.js), seeded with demo
 * vehicles. Works from plain Node and from Electron (ELECTRON_RUN_AS_NODE). `script` is the built simulator entry,
 * resolved by the calling entry (this module may be bundled into a chunk elsewhere).
 */
export function startDemoPlatform(script: string): Promise<DemoPlatform> {
  const child = spawn(process.execPath, [script, '--port', '0', '--demo-vehicles', '--organ', DEMO_PLATFORM.organ, '--username', DEMO_PLATFORM.username], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SIM_PLATFORM_PASSWORD: DEMO_PLATFORM.password },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    child.once('exit', (code) => reject(new Error(`platform simulator exited with code ${code}`)))
    lines.on('line', (line) => {
      const match = /platform-sim listening (http:\/\/\S+)/.exec(line)
      if (!match) return
      resolve({ baseUrl: `${match[1]}/ysgk`, stop: () => child.kill('SIGTERM') })
    })
  })
}
