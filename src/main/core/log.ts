import { closeSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'

/**
 * One line per event: on stderr as `time [source] line`, and — once startLogFiles ran — as pino JSON in
 * dataDir/logs/booth.log, rotated by size and by day. Callers never pass secrets; any registered secret that slips
 * into a line anyway is replaced by *** before it is written anywhere.
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
    process.stderr.write(`${new Date().toISOString()} [${source}] ${safe}\n`)
    fileLogger?.info({ src: source }, safe)
  }
}

export interface LogFileLimits {
  maxBytes: number
  maxFiles: number
}

/** Starts writing the structured log under `dir` (a second call keeps the first files until stopLogFiles). */
export function startLogFiles(dir: string, limits: LogFileLimits): void {
  if (fileLogger) return
  fileSink = new RotatingFile(dir, 'booth', limits)
  fileLogger = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, fileSink)
}

export function stopLogFiles(): void {
  fileSink?.close()
  fileSink = null
  fileLogger = null
}

/**
 * `<name>.log`, renamed to `<name>-<yyyy-MM-dd>-<n>.log` when it would pass maxBytes or when the day changes; only
 * the newest maxFiles rotated files are kept. Synchronous, so a line is on disk before the call returns.
 */
export class RotatingFile {
  private fd: number | null = null
  private size = 0
  private day = ''

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly limits: LogFileLimits,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10)
  ) {
    mkdirSync(dir, { recursive: true })
  }

  get current(): string {
    return join(this.dir, `${this.name}.log`)
  }

  write(chunk: string): void {
    const bytes = Buffer.from(chunk)
    if (this.fd === null) this.open()
    if (this.day !== this.today() || (this.size > 0 && this.size + bytes.length > this.limits.maxBytes)) this.rotate()
    writeSync(this.fd!, bytes)
    this.size += bytes.length
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private open(): void {
    this.fd = openSync(this.current, 'a', 0o600)
    const stats = statSync(this.current)
    this.size = stats.size
    this.day = stats.size > 0 ? stats.mtime.toISOString().slice(0, 10) : this.today()
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
    this.day = this.today()
  }
}
