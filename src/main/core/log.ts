import { closeSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { beijingIso } from './time'

/**
 * One line per event: on stderr as `time [source] line`, and — once startLogFiles ran — as pino JSON in
 * dataDir/logs/booth.log, rotated by size and by Beijing day; every time stamp is Beijing time with its offset.
 * Callers never pass secrets; any registered secret that slips into a line anyway is replaced by *** before it is
 * written anywhere.
 */
export type Log = (line: string) => void

const secrets = new Set<string>()
let fileLogger: pino.Logger | null = null
let fileSink: RotatingFile | null = null

/** Registers a value (the platform password, a token) to be masked in every log line from now on. */
export function registerSecret(value: string): void {
  if (value.length >= 4) secrets.add(value)
}

export function redact(line: string): string {
  let out = line
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}

export function createLog(source: string): Log {
  return (line) => {
    const safe = redact(line)
    try {
      process.stderr.write(`${beijingIso(Date.now())} [${source}] ${safe}\n`)
      fileLogger?.info({ src: source }, safe)
    } catch {
      // Logging must never take the caller down; the file sink reports its own trouble on stderr.
    }
  }
}

// A closed stderr (the parent went away) reports EPIPE as an 'error' event: without a listener that kills the process.
process.stderr.on('error', () => {})

export interface LogFileLimits {
  maxBytes: number
  maxFiles: number
}

/** Starts writing the structured log under `dir` (a second call keeps the first files until stopLogFiles). */
export function startLogFiles(dir: string, limits: LogFileLimits): void {
  if (fileLogger) return
  fileSink = new RotatingFile(dir, 'booth', limits, undefined, { onTrouble: (line) => process.stderr.write(`${beijingIso(Date.now())} [log] ${line}\n`) })
  fileLogger = pino({ base: { pid: process.pid }, timestamp: () => `,"time":"${beijingIso(Date.now())}"` }, fileSink)
}

export function stopLogFiles(): void {
  fileSink?.close()
  fileSink = null
  fileLogger = null
}

export interface RotatingFileOptions {
  /** How long to wait after a failed write before trying the file again. */
  retryMs?: number
  now?: () => number
  /** Told (in one line) when writing starts failing and when it works again. */
  onTrouble?: (line: string) => void
}

const RETRY_MS = 10_000

/**
 * `<name>.log`, renamed to `<name>-<yyyy-MM-dd>-<n>.log` when it would pass maxBytes or when the day changes; only
 * the newest maxFiles rotated files are kept. Synchronous, so a line is on disk before the call returns.
 *
 * Writing never throws: a full disk (ENOSPC), a read-only or failing one (EROFS, EIO) pauses the file, lines are
 * counted instead of written, and every `retryMs` the next line tries again; the first line that gets through is
 * preceded by a note of how many were missed. Stderr has every line meanwhile.
 */
export class RotatingFile {
  private fd: number | null = null
  private size = 0
  private day = ''
  /** Set while the file cannot be written. */
  private failing: { code: string; since: number; missed: number; retryAt: number } | null = null
  /** A write stopped part-way: the file ends inside a line. */
  private midLine = false

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly limits: LogFileLimits,
    private readonly today: () => string = () => beijingIso(Date.now()).slice(0, 10),
    private readonly options: RotatingFileOptions = {}
  ) {}

  get current(): string {
    return join(this.dir, `${this.name}.log`)
  }

  write(chunk: string): void {
    const now = (this.options.now ?? Date.now)()
    if (this.failing && now < this.failing.retryAt) {
      this.failing.missed++
      return
    }
    const bytes = Buffer.from(chunk)
    try {
      if (this.fd === null) this.open()
      if (this.failing) this.resume(now)
      if (this.day !== this.today() || (this.size > 0 && this.size + bytes.length > this.limits.maxBytes)) this.rotate()
      this.append(bytes)
    } catch (error) {
      this.fail(error, now)
    }
  }

  close(): void {
    const fd = this.fd
    this.fd = null
    if (fd === null) return
    try {
      closeSync(fd)
    } catch {
      // Closing a file whose disk failed can fail too; the descriptor is gone either way.
    }
  }

  private open(): void {
    mkdirSync(this.dir, { recursive: true })
    this.fd = openSync(this.current, 'a', 0o600)
    const stats = statSync(this.current)
    this.size = stats.size
    this.day = stats.size > 0 ? beijingIso(stats.mtimeMs).slice(0, 10) : this.today()
  }

  private append(bytes: Buffer): void {
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fd!, bytes, written)
      this.midLine = written < bytes.length
    }
    this.size += bytes.length
  }

  private fail(error: unknown, now: number): void {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    this.close()
    if (!this.failing) this.options.onTrouble?.(`log file ${this.current} cannot be written (${code}): lines go to stderr only; trying again every ${this.retryMs / 1000} s`)
    this.failing = {
      code,
      since: this.failing?.since ?? now,
      missed: (this.failing?.missed ?? 0) + 1,
      retryAt: now + this.retryMs
    }
  }

  /** The file can be opened again: a note of the gap first, as a line of the same JSON shape. */
  private resume(now: number): void {
    const { code, since, missed } = this.failing!
    const msg = `log file resumed: ${missed} line(s) since ${beijingIso(since)} were not written here (${code})`
    this.append(Buffer.from(`${this.midLine ? '\n' : ''}${JSON.stringify({ level: 40, time: beijingIso(now), pid: process.pid, src: 'log', msg })}\n`))
    this.failing = null
    this.options.onTrouble?.(msg)
  }

  private get retryMs(): number {
    return this.options.retryMs ?? RETRY_MS
  }

  private rotate(): void {
    this.close()
    const prefix = `${this.name}-${this.day}-`
    const taken = readdirSync(this.dir).filter((file) => file.startsWith(prefix)).length
    renameSync(this.current, join(this.dir, `${prefix}${taken + 1}.log`))
    const rotated = readdirSync(this.dir)
      .filter((file) => file.startsWith(`${this.name}-`) && file.endsWith('.log'))
      .sort((a, b) => statSync(join(this.dir, a)).mtimeMs - statSync(join(this.dir, b)).mtimeMs || a.localeCompare(b, 'en', { numeric: true }))
    for (const file of rotated.slice(0, Math.max(0, rotated.length - this.limits.maxFiles))) unlinkSync(join(this.dir, file))
    this.fd = openSync(this.current, 'a', 0o600)
    this.size = 0
    this.midLine = false
    this.day = this.today()
  }
}
