import { execFileSync } from 'node:child_process'
import { FRAME, TIME_SQUARES } from '../../src/sim/nvr/recording'
import { videoTools } from '../../src/main/booth/video'
import { startProcess, stopProcess, type RunningProcess } from './support'

export const NVR_USER = 'admin'
export const NVR_PASSWORD = 'nvr-secret-1'

export interface SimNvr {
  process: RunningProcess
  url: string
  port: number
  /** Sets a fault; answers the request counters. */
  fault(mode: 'none' | 'slow' | 'unauthorized' | 'no-recording' | 'disconnect' | 'rtsp-garbage' | 'rtsp-truncated' | 'realtime', slowMs?: number): Promise<NvrCounters>
  counters(): Promise<NvrCounters>
}

export interface NvrCounters {
  fault: string
  searches: number
  downloads: number
  completeDownloads: number
  replays: number
  completeReplays: number
}

/** The NVR simulator in its own process (out/main/sim-nvr.js), on loopback. */
export async function startSimNvr(options: { port?: number; retainHours?: number } = {}): Promise<SimNvr> {
  const running = await startProcess(
    'sim-nvr.js',
    ['--port', String(options.port ?? 0), '--username', NVR_USER, '--retain-hours', String(options.retainHours ?? 1)],
    { SIM_NVR_PASSWORD: NVR_PASSWORD },
    /nvr-sim listening /
  )
  const admin = async (path: string, body?: unknown) =>
    (await (await fetch(`${running.url}/admin/${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) })).json()) as NvrCounters
  return {
    process: running,
    url: running.url,
    port: Number(new URL(running.url).port),
    fault: (mode, slowMs) => admin('fault', { mode, ...(slowMs ? { slowMs } : {}) }),
    counters: () => admin('state')
  }
}

export function stopSimNvr(nvr: SimNvr | undefined): Promise<void> {
  return stopProcess(nvr?.process)
}

/**
 * The Unix second a frame of the simulator's video shows, read from its time squares: the frame at `offsetSeconds`
 * into `file` is decoded to grey pixels and each square's centre read as a bit (white = 1). Deterministic: no OCR,
 * and the same instant the burnt-in clock shows.
 */
export function frameClockSecond(file: string, offsetSeconds: number): number {
  const gray = execFileSync(videoTools().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-ss', String(offsetSeconds), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'])
  let second = 0
  for (let bit = 0; bit < TIME_SQUARES.bits; bit++) {
    const x = (bit % 16) * TIME_SQUARES.pitch + TIME_SQUARES.x0 + TIME_SQUARES.size / 2
    const y = TIME_SQUARES.y0 + Math.floor(bit / 16) * TIME_SQUARES.rowPitch + TIME_SQUARES.size / 2
    if (gray[y * FRAME.width + x]! > 128) second += 2 ** bit
  }
  return second
}
