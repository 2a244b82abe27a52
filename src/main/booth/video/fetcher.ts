import { createHash } from 'node:crypto'
import { createReadStream, rmSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { formatSpecDate } from '@shared/spec'
import type { ClipRow, Clips } from '../store'
import { NO_RECORDING, NvrError } from './nvr-http'
import { remuxToMp4 } from './remux'
import { NoReplay } from './rtsp-replay'
import type { ClipSource } from './sources'

const DAY_MS = 24 * 3600_000

export interface FetchTiming {
  minBackoffMs: number
  maxBackoffMs: number
  /** How long after a clip's end "no recording" may still mean "not written yet". */
  noRecordingGraceMs: number
}

export interface ClipFetcherOptions {
  clips: Clips
  /** Where clip files live (dataDir/clips), by day. */
  root: string
  timing: FetchTiming
  /** The recorder a clip row names, with its credentials and how long it keeps recordings; null when no longer configured. */
  recorderOf(row: ClipRow): { keepDays: number; source: ClipSource; problem?: string } | null
  /** Why fetching must wait now (the disk is nearly full), or null. */
  holdReason(): string | null
  onChange(row: ClipRow): void
  now(): number
  random?: () => number
  log(line: string): void
  pollMs?: number
  /** Remux step (ffmpeg), injectable for the benchmark's timing only. */
  remux?: typeof remuxToMp4
}

/**
 * Works off the clip fetch jobs one at a time, in the background: search the recorder, download the period, remux it
 * to MP4, store it beside the photos. A failure that may pass (recorder down, 401, cut connection) is retried with
 * backoff while the recorder can still hold the recording (its keepDays); then, or when the recorder plainly has no
 * recording of the period, the clip is marked missing with the reason. Nothing here waits on the lane or the uploads.
 */
export class ClipFetcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = false

  constructor(private readonly options: ClipFetcherOptions) {}

  start(): void {
    this.stopped = false
    // Downloads cut by a stop or a crash: their jobs are still pending and start over.
    rmSync(join(this.options.root, '.partial'), { recursive: true, force: true })
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1_000)
    this.timer.unref()
    this.kick()
  }

  /** Looks for due jobs now (a new request, or a test's tick). */
  kick(): void {
    if (this.running || this.stopped) return
    this.running = this.drain().finally(() => (this.running = null))
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const [row] = this.options.clips.due(this.options.now(), 1)
      if (!row) return
      try {
        await this.fetch(row)
      } catch (error) {
        this.options.log(`clip ${row.id} (${row.lsh}): ${(error as Error).stack ?? String(error)}`)
        this.fail(row, `内部错误：${(error as Error).message}`)
      }
      this.options.onChange(this.options.clips.get(row.id) ?? row)
    }
  }

  private async fetch(row: ClipRow): Promise<void> {
    const { clips, now } = this.options
    const recorder = this.options.recorderOf(row)
    if (!recorder) return clips.missing(row.id, `车道配置中已没有该录像机通道（${row.recorder} ${row.channel}），无法调取`, now())
    if (now() > row.startAt + recorder.keepDays * DAY_MS) return clips.missing(row.id, this.expired(row, recorder.keepDays), now())
    if (recorder.problem) return this.retry(row, recorder.problem, recorder.keepDays)
    const hold = this.options.holdReason()
    if (hold) return clips.postpone(row.id, hold, now() + this.options.timing.maxBackoffMs, now())
    const partial = join(this.options.root, '.partial', `${row.id}.download`)
    const mp4Temp = `${partial}.mp4`
    try {
      await mkdir(dirname(partial), { recursive: true })
      const found = await recorder.source.find(row.startAt, row.endAt)
      if (found === null) return this.noRecording(row, recorder.keepDays)
      await recorder.source.fetch(found, row.startAt, row.endAt, partial)
      const remuxed = await (this.options.remux ?? remuxToMp4)(partial, mp4Temp)
      const path = join(formatSpecDate(new Date(row.startAt)), `${row.lsh}_${row.channel}.mp4`)
      const stored = await this.keep(mp4Temp, join(this.options.root, path))
      clips.stored(row.id, { path, ...stored, durationMs: remuxed.durationMs }, now())
      this.options.log(`clip ${row.lsh} ch ${row.channel}: stored ${stored.bytes} bytes, ${remuxed.durationMs} ms (${remuxed.mode})`)
    } catch (error) {
      if (error instanceof NoReplay) return this.noRecording(row, recorder.keepDays)
      if (!(error instanceof NvrError)) throw error
      this.retry(row, error.message, recorder.keepDays)
    } finally {
      await rm(partial, { force: true })
      await rm(mp4Temp, { force: true })
    }
  }

  /** Soon after the period "no recording" may mean "not written yet"; after the grace it is believed. */
  private noRecording(row: ClipRow, keepDays: number): void {
    const { clips, now } = this.options
    if (now() < row.endAt + this.options.timing.noRecordingGraceMs) return this.retry(row, '录像机暂无该时段的录像（可能尚未写入），稍后再试', keepDays)
    clips.missing(row.id, NO_RECORDING, now())
  }

  private retry(row: ClipRow, error: string, keepDays: number): void {
    const { clips, now, timing } = this.options
    const ceiling = Math.min(timing.maxBackoffMs, timing.minBackoffMs * 2 ** Math.min(row.attempts, 30))
    const delay = Math.round(ceiling * (0.5 + 0.5 * (this.options.random ?? Math.random)()))
    const next = now() + delay
    if (next > row.startAt + keepDays * DAY_MS) return clips.missing(row.id, `${this.expired(row, keepDays)}；最后一次失败：${error}`, now())
    clips.retryLater(row.id, error, next, now())
  }

  private fail(row: ClipRow, error: string): void {
    const recorder = this.options.recorderOf(row)
    this.retry(row, error, recorder?.keepDays ?? 0)
  }

  private expired(row: ClipRow, keepDays: number): string {
    return `录像机只保存约 ${keepDays} 天的录像，该时段已超出保存期，未能取得${row.lastError ? `（此前：${row.lastError}）` : ''}`
  }

  /** fsync, then rename into place and fsync the folder: a row never points to a file a power cut could lose. */
  private async keep(temp: string, final: string): Promise<{ sha256: string; bytes: number }> {
    const handle = await open(temp, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of createReadStream(temp)) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).byteLength
    }
    await mkdir(dirname(final), { recursive: true })
    await rename(temp, final)
    if (process.platform !== 'win32') {
      const dir = await open(dirname(final), 'r')
      try {
        await dir.sync()
      } finally {
        await dir.close()
      }
    }
    return { sha256: hash.digest('hex'), bytes }
  }
}
