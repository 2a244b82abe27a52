import { execFile } from 'node:child_process'
import { sep } from 'node:path'
import { promisify } from 'node:util'
import ffmpeg from '@ffmpeg-installer/ffmpeg'
import ffprobe from '@ffprobe-installer/ffprobe'

const run = promisify(execFile)

/** In an installed app the binaries sit beside app.asar, unpacked (a binary inside the archive cannot be run). */
function unpacked(path: string): string {
  return path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`)
}

/** The ffmpeg and ffprobe binaries the registry packages ship for this platform. */
export function videoTools(): { ffmpeg: string; ffprobe: string } {
  return {
    ffmpeg: unpacked(ffmpeg.path),
    ffprobe: unpacked(ffprobe.path)
  }
}

/**
 * How a recording becomes an MP4, tried in order: streams copied as they are (no re-encoding: quick, and the
 * evidence untouched); the video copied and the audio made AAC (recorders often record G.711, which MP4 cannot
 * carry); and only when the video itself cannot go into MP4, re-encoded as H.264.
 */
const ATTEMPTS: { label: string; codecs: string[] }[] = [
  { label: 'copy', codecs: ['-map', '0:v:0', '-map', '0:a?', '-c', 'copy'] },
  { label: 'copy-video', codecs: ['-map', '0:v:0', '-map', '0:a?', '-c:v', 'copy', '-c:a', 'aac'] },
  { label: 'encode', codecs: ['-map', '0:v:0', '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'] }
]

export interface Remuxed {
  /** Which attempt worked: copy, copy-video or encode. */
  mode: string
  durationMs: number
}

/** Remuxes `input` into an MP4 at `output` (moov first, so a player starts before the whole file is read). */
export async function remuxToMp4(input: string, output: string, tools = videoTools()): Promise<Remuxed> {
  let lastError = ''
  for (const attempt of ATTEMPTS) {
    try {
      await run(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, ...attempt.codecs, '-movflags', '+faststart', '-f', 'mp4', output], {
        timeout: 120_000,
        maxBuffer: 4 * 1024 * 1024
      })
      return { mode: attempt.label, durationMs: await durationMs(output, tools) }
    } catch (error) {
      lastError = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n').slice(-1)[0] ?? ''
    }
  }
  throw new Error(`录像无法转换为 MP4（${lastError}）`)
}

/** The container's duration as ffprobe reads it. */
export async function durationMs(file: string, tools = videoTools()): Promise<number> {
  const { stdout } = await run(tools.ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { timeout: 30_000 })
  const seconds = Number(stdout.trim())
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`录像文件无法读取时长（${stdout.trim() || '无输出'}）`)
  return Math.round(seconds * 1000)
}
