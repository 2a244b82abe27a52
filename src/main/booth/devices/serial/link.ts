/**
 * One serial line to a device, whichever way it is wired: a local port (`/dev/ttyUSB0`, `COM3`, a pty) through
 * `serialport`, or an RS485-to-Ethernet converter in TCP server mode (`tcp://10.0.0.5:4001`), which carries the same
 * bytes. The link keeps itself open: when the port disappears (USB adapter unplugged, converter rebooted) it reports
 * the loss and retries every `reconnectMs` until the path is back.
 */
import { EventEmitter } from 'node:events'
import { realpath } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'

export interface LinkOptions {
  /** A serial device path, or tcp://host:port. */
  path: string
  baudRate: number
  reconnectMs: number
}

interface Connection {
  write(bytes: Uint8Array): Promise<void>
  close(): Promise<void>
  /** Resolves to a reason when the connection is known to be dead although no error was reported. */
  check?(): Promise<string | null>
}

type Handlers = { data: (bytes: Buffer) => void; lost: (reason: string) => void }

export function parseTcpPath(path: string): { host: string; port: number } | null {
  const match = /^tcp:\/\/([^:/]+):(\d{1,5})\/?$/.exec(path)
  return match ? { host: match[1]!, port: Number(match[2]) } : null
}

function openTcp(host: string, port: number, handlers: Handlers): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port })
    socket.setNoDelay(true)
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      socket.on('error', () => {})
      socket.on('data', handlers.data)
      socket.once('close', () => handlers.lost(`connection to ${host}:${port} closed`))
      resolve({
        write: (bytes) => new Promise((ok, fail) => socket.write(bytes, (error) => (error ? fail(error) : ok()))),
        close: () =>
          new Promise((ok) => {
            socket.removeAllListeners('close')
            socket.once('close', () => ok())
            socket.destroy()
          })
      })
    })
  })
}

/**
 * The device node behind a POSIX path, to notice an unplug the driver does not report: after a write, a hung-up pty
 * is not always signalled by serialport, and a re-created symlink (udev by-id link, socat link=) may point elsewhere.
 */
async function deviceNode(path: string): Promise<string | null> {
  if (process.platform === 'win32' || !path.startsWith('/')) return path
  return realpath(path).catch(() => null)
}

async function openSerial(path: string, baudRate: number, handlers: Handlers): Promise<Connection> {
  // Loaded on first use: the device table is read with the config by every command, most of which open no port.
  const { SerialPort } = await import('serialport')
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false })
    const opened = deviceNode(path)
    port.open((error) => {
      if (error) return reject(error)
      port.on('data', handlers.data)
      port.on('error', () => {})
      port.once('close', (closeError: (Error & { disconnected?: boolean }) | null) =>
        handlers.lost(closeError?.disconnected ? `${path} disconnected` : `${path} closed`)
      )
      resolve({
        write: (bytes) => new Promise((ok, fail) => port.write(Buffer.from(bytes), (writeError) => (writeError ? fail(writeError) : ok()))),
        close: () =>
          new Promise((ok) => {
            port.removeAllListeners('close')
            if (!port.isOpen) return ok()
            port.close(() => ok())
          }),
        check: async () => {
          const [then, now] = await Promise.all([opened, deviceNode(path)])
          if (now === null) return `${path} disappeared`
          return now === then ? null : `${path} now leads to another device`
        }
      })
    })
  })
}

export interface SerialLinkEvents {
  data: [Buffer]
  open: []
  /** The port went away or could not be opened; the link keeps retrying. */
  down: [string]
}

export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private connection: Connection | null = null
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private lastDownReason: string | null = null

  constructor(readonly options: LinkOptions) {
    super()
  }

  start(): void {
    void this.attempt()
  }

  get isOpen(): boolean {
    return this.connection !== null
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.connection) throw new Error(`${this.options.path} is not open`)
    await this.connection.write(bytes)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    const connection = this.connection
    this.connection = null
    await connection?.close()
  }

  private async attempt(): Promise<void> {
    this.timer = null
    if (this.stopped) return
    const handlers: Handlers = {
      data: (bytes) => this.emit('data', bytes),
      lost: (reason) => {
        this.connection = null
        this.down(reason)
      }
    }
    try {
      const tcp = parseTcpPath(this.options.path)
      const connection = tcp ? await openTcp(tcp.host, tcp.port, handlers) : await openSerial(this.options.path, this.options.baudRate, handlers)
      if (this.stopped) return void (await connection.close())
      this.connection = connection
      this.lastDownReason = null
      this.emit('open')
      if (connection.check) this.timer = setTimeout(() => void this.watch(connection), this.options.reconnectMs)
    } catch (error) {
      this.down(`cannot open ${this.options.path}: ${(error as Error).message}`)
    }
  }

  /** Checks an open connection every `reconnectMs`; a dead one is closed and reported like any loss. */
  private async watch(connection: Connection): Promise<void> {
    this.timer = null
    if (this.stopped || this.connection !== connection) return
    const problem = await connection.check!()
    if (this.stopped || this.connection !== connection) return
    if (problem === null) {
      this.timer = setTimeout(() => void this.watch(connection), this.options.reconnectMs)
      return
    }
    this.connection = null
    await connection.close()
    this.down(problem)
  }

  private down(reason: string): void {
    if (this.stopped) return
    // Repeated identical failures while retrying are one event, not one per attempt.
    if (reason !== this.lastDownReason) this.emit('down', reason)
    this.lastDownReason = reason
    this.timer = setTimeout(() => void this.attempt(), this.options.reconnectMs)
  }
}
