/**
 * The simulator's "recording": for any period, a generated H.264 video in MPEG-TS (as an NVR's download gives a
 * stream container, not an MP4). Every frame carries the instant it shows twice: a burnt-in clock in Beijing time
 * for the eye, and below it the Unix second as 32 white/black squares (bit k at column k % 16, row k / 16, least
 * significant first) for a test to read from one decoded frame without OCR.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import ffmpeg from '@ffmpeg-installer/ffmpeg'

const run = promisify(execFile)

export const FRAME = { width: 320, height: 240, fps: 10 } as const
/** Where the time squares are: 16 per row, 20 px apart, rows 30 px apart from y 180; each square 14 px. */
export const TIME_SQUARES = { x0: 3, y0: 180, pitch: 20, rowPitch: 30, size: 14, bits: 32 } as const

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  'C:\\Windows\\Fonts\\consola.ttf',
  '/System/Library/Fonts/Menlo.ttc'
]

/** The ffmpeg filter chain drawing the clock and the time squares for a video that starts at `startMs`. */
export function clockFilters(startMs: number, font: string | null): string {
  const start = startMs / 1000
  const filters = [`drawbox=x=0:y=${TIME_SQUARES.y0 - 4}:w=${FRAME.width}:h=${FRAME.height - TIME_SQUARES.y0 + 4}:color=black:t=fill`]
  for (let bit = 0; bit < TIME_SQUARES.bits; bit++) {
    const x = (bit % 16) * TIME_SQUARES.pitch + TIME_SQUARES.x0
    const y = TIME_SQUARES.y0 + Math.floor(bit / 16) * TIME_SQUARES.rowPitch
    filters.push(`drawbox=x=${x}:y=${y}:w=${TIME_SQUARES.size}:h=${TIME_SQUARES.size}:color=white:t=fill:enable='mod(floor((t+${start})/${2 ** bit})\\,2)'`)
  }
  if (font) {
    const beijing = start + 8 * 3600
    filters.push(
      `drawtext=fontfile='${font.replace(/\\/g, '/').replace(/:/g, '\\:')}':fontsize=18:fontcolor=white:box=1:boxcolor=black:x=8:y=8:text='%{pts\\:gmtime\\:${beijing}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}'`
    )
  }
  return filters.join(',')
}

/** MPEG-TS bytes of the recording from `startMs` to `endMs`. */
export function recordingBytes(startMs: number, endMs: number): Promise<Buffer> {
  return encode(startMs, endMs, ['-f', 'mpegts'])
}

/**
 * The same recording as a raw H.264 elementary stream (Annex B byte stream, an access unit delimiter before each
 * picture, SPS and PPS before each key frame), for the RTSP replay to packetize picture by picture.
 */
export function elementaryStream(startMs: number, endMs: number): Promise<Buffer> {
  return encode(startMs, endMs, ['-x264-params', 'aud=1', '-f', 'h264'])
}

async function encode(startMs: number, endMs: number, output: string[], font = FONT_CANDIDATES.find((file) => existsSync(file)) ?? null): Promise<Buffer> {
  const seconds = Math.max(0.1, (endMs - startMs) / 1000)
  const { stdout } = await run(
    ffmpeg.path,
    [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', `testsrc=size=${FRAME.width}x${FRAME.height}:rate=${FRAME.fps}:duration=${seconds}`,
      '-vf', clockFilters(startMs, font),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(FRAME.fps), '-pix_fmt', 'yuv420p',
      ...output, 'pipe:1'
    ],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: 120_000 }
  )
  return stdout
}
