/**
 * The device end of a simulated serial line: a serial path (one end of a socat pty pair, or a real port wired to
 * the booth PC), or a TCP listener standing in for an RS485-to-Ethernet converter (`tcp://127.0.0.1:0` picks a
 * port). Either way the simulator reads and writes raw bytes, exactly as a device on the wire.
 */
import { createServer, type Socket } from 'node:net'
import { SerialPort } from 'serialport'

export interface SimLine {
  /** Where the booth connects: the serial path, or tcp://host:port with the bound port. */
  url: string
  write(bytes: Uint8Array): void
  onData(listener: (bytes: Buffer) => void): void
  close(): Promise<void>
  /** TCP lines: each client connection on its own (a camera answers each client apart), and hanging them all up. */
  onConnection?(listener: (connection: SimConnection) => void): void
  dropConnections?(): void
}

export interface SimConnection {
  write(bytes: Uint8Array): void
  onData(listener: (bytes: Buffer) => void): void
}

/** `tcp://host:port`, the simulator's stand-in for an RS485-to-Ethernet converter. */
function tcpSpec(spec: string): { host: string; port: number } | null {
  const match = /^tcp:\/\/([^:/]+):(\d{1,5})\/?$/.exec(spec)
  return match ? { host: match[1]!, port: Number(match[2]) } : null
}

/**
 * The device end of a serial path, kept open: when the port closes (the pty pair was stopped, as when an adapter is
 * unplugged) it is opened again every `retryMs` until the path is back.
 */
function openDevicePort(path: string, baudRate: number, deliver: (bytes: Buffer) => void, log: (line: string) => void, retryMs = 200) {
  let port: SerialPort | null = null
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let lastProblem: string | null = null
  let settle: (() => void) | null = null
  const settled = new Promise<void>((resolve) => (settle = resolve))
  const retry = (problem: string) => {
    port = null
    if (stopped) return
    if (problem !== lastProblem) log(`serial down: ${problem}`)
    lastProblem = problem
    settle?.()
    timer = setTimeout(attempt, retryMs)
  }
  const attempt = () => {
    timer = null
    const candidate = new SerialPort({ path, baudRate, autoOpen: false })
    candidate.open((error) => {
      if (error) return retry(`cannot open ${path}: ${error.message}`)
      if (stopped) return void candidate.close()
      port = candidate
      lastProblem = null
      log(`serial ${path} open`)
      settle?.()
      candidate.on('data', deliver)
      candidate.on('error', () => {})
      candidate.once('close', () => retry(`${path} closed`))
    })
  }
  attempt()
  return {
    settled,
    write(bytes: Uint8Array) {
      if (!port) return log(`write failed: ${path} is not open`)
      port.write(Buffer.from(bytes), (error) => error && log(`write failed: ${error.message}`))
    },
    close: () =>
      new Promise<void>((resolve) => {
        stopped = true
        if (timer) clearTimeout(timer)
        const open = port
        port = null
        if (!open?.isOpen) return resolve()
        open.removeAllListeners('close')
        open.close(() => resolve())
      })
  }
}

export async function openSimLine(spec: string, baudRate: number, log: (line: string) => void): Promise<SimLine> {
  const tcp = tcpSpec(spec)
  const listeners: ((bytes: Buffer) => void)[] = []
  const deliver = (bytes: Buffer) => listeners.forEach((listener) => listener(bytes))
  if (!tcp) {
    const port = openDevicePort(spec, baudRate, deliver, log)
    // Announced ready only once the line is open (or has failed once and keeps retrying): bytes the booth sends into
    // a pty nobody has opened yet are dropped when it is opened.
    await port.settled
    return { url: spec, write: port.write, onData: (listener) => listeners.push(listener), close: port.close }
  }
  const sockets = new Set<Socket>()
  const connectionListeners: ((connection: SimConnection) => void)[] = []
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    sockets.add(socket)
    log(`booth connected from ${socket.remoteAddress}:${socket.remotePort}`)
    socket.on('data', deliver)
    connectionListeners.forEach((listener) => listener({ write: (bytes) => socket.write(bytes), onData: (on) => socket.on('data', on) }))
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(tcp.port, tcp.host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : tcp.port)
    })
  })
  return {
    url: `tcp://${tcp.host}:${port}`,
    write: (bytes) => sockets.forEach((socket) => socket.write(bytes)),
    onData: (listener) => listeners.push(listener),
    onConnection: (listener) => connectionListeners.push(listener),
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    close: () =>
      new Promise((resolve) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resolve())
      })
  }
}
