/**
 * The device end of a simulated serial line: a serial path (one end of a socat pty pair, or a real port wired to
 * the booth PC), or a TCP listener standing in for an RS485-to-Ethernet converter (`tcp://127.0.0.1:0` picks a
 * port). Either way the simulator reads and writes raw bytes, exactly as a device on the wire.
 */
import { createServer, type Socket } from 'node:net'
import { parseTcpPath, SerialLink } from '../../main/booth/devices/serial/link'

export interface SimLine {
  /** Where the booth connects: the serial path, or tcp://host:port with the bound port. */
  url: string
  write(bytes: Uint8Array): void
  onData(listener: (bytes: Buffer) => void): void
  close(): Promise<void>
}

export async function openSimLine(spec: string, baudRate: number, log: (line: string) => void): Promise<SimLine> {
  const tcp = parseTcpPath(spec)
  const listeners: ((bytes: Buffer) => void)[] = []
  const deliver = (bytes: Buffer) => listeners.forEach((listener) => listener(bytes))
  if (!tcp) {
    const link = new SerialLink({ path: spec, baudRate, reconnectMs: 200 })
    link.on('data', deliver)
    link.on('open', () => log(`serial ${spec} open`))
    link.on('down', (reason) => log(`serial down: ${reason}`))
    // Announced ready only once the line is open (or has failed once and keeps retrying): bytes the booth sends into
    // a pty nobody has opened yet are dropped when it is opened.
    const settled = new Promise<void>((resolve) => {
      link.once('open', resolve)
      link.once('down', () => resolve())
    })
    link.start()
    await settled
    return {
      url: spec,
      write: (bytes) => void link.write(bytes).catch((error: Error) => log(`write failed: ${error.message}`)),
      onData: (listener) => listeners.push(listener),
      close: () => link.stop()
    }
  }
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    sockets.add(socket)
    log(`booth connected from ${socket.remoteAddress}:${socket.remotePort}`)
    socket.on('data', deliver)
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
    close: () =>
      new Promise((resolve) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resolve())
      })
  }
}
