/**
 * The loopback HTTP control endpoint every serial simulator offers: GET /state, and POST actions (drive a truck
 * through, go silent, send garbage …) with a JSON body. Tests, the demo and a technician drive the simulator here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { openSimLine, type SimLine } from './line'

export type Actions = Record<string, (body: Record<string, unknown>) => unknown>

export interface ControlServer {
  url: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 64 * 1024

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  response.end(text)
}

/** The action's JSON body (an object, `{}` when empty); refuses more than 64 KiB or anything but an object. */
function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`body over ${MAX_BODY_BYTES} bytes`))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('error', reject)
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim()
      if (text === '') return resolve({})
      try {
        const body: unknown = JSON.parse(text)
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('the body must be a JSON object')
        resolve(body as Record<string, unknown>)
      } catch (error) {
        reject(new Error(`bad JSON body: ${(error as Error).message}`))
      }
    })
  })
}

export async function startControl(host: string, port: number, state: () => unknown, actions: Actions): Promise<ControlServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://sim').pathname
    if (request.method === 'GET' && path === '/state') return sendJson(response, 200, state())
    const action = request.method === 'POST' ? actions[path.slice(1)] : undefined
    if (!action) return sendJson(response, 404, { error: `no such action: ${request.method} ${path}`, actions: Object.keys(actions) })
    readBody(request)
      .then(async (body) => sendJson(response, 200, { ok: true, result: (await action(body)) ?? null }))
      .catch((error: Error) => sendJson(response, 400, { error: error.message }))
  })
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
  return { url: `http://${host}:${bound}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** Garbage for the line: the given hex bytes, or `count` random bytes. */
export function garbageBytes(body: Record<string, unknown>): Buffer {
  if (typeof body.hex === 'string') return Buffer.from(body.hex.replace(/\s+/g, ''), 'hex')
  const count = typeof body.count === 'number' ? body.count : 16
  return Buffer.from(Array.from({ length: count }, () => Math.floor(Math.random() * 256)))
}

/** The faults every serial simulator takes: `silent {on}` (it neither acts nor answers) and `garbage {hex?|count?}` on the line. */
export function lineFaults(sim: { silent: boolean }, line: { write(bytes: Uint8Array): void }, log?: (text: string) => void): Actions {
  return {
    silent: (body) => {
      sim.silent = body.on !== false
      log?.(sim.silent ? 'silent: not answering' : 'answering again')
    },
    garbage: (body) => line.write(garbageBytes(body))
  }
}

/** The command-line options every serial simulator takes (node:util parseArgs shape). */
export const commonSimArgs = {
  serial: { type: 'string' },
  baud: { type: 'string', default: '9600' },
  'control-host': { type: 'string', default: '127.0.0.1' },
  'control-port': { type: 'string', default: '0' }
} as const

export function simProcess(name: string, values: { serial?: string; baud?: string; 'control-host'?: string; 'control-port'?: string }): SimProcess {
  if (!values.serial) {
    process.stderr.write(`${name}: --serial PATH|tcp://127.0.0.1:PORT is required\n`)
    process.exit(2)
  }
  return { name, serial: values.serial, baudRate: Number(values.baud), controlHost: values['control-host']!, controlPort: Number(values['control-port']) }
}

export interface SimProcess {
  /** e.g. barrier-sim */
  name: string
  serial: string
  baudRate: number
  controlHost: string
  controlPort: number
}

/**
 * Opens the line and the control endpoint, prints `<name> serial <url>` then `<name> control <url>` (callers wait
 * for the latter), and closes both on SIGTERM/SIGINT.
 */
export async function runSim(
  options: SimProcess,
  build: (line: SimLine, log: (text: string) => void) => { state: () => unknown; actions: Actions; stop?: () => void }
): Promise<void> {
  const log = (text: string) => process.stdout.write(`${options.name} ${text}\n`)
  const line = await openSimLine(options.serial, options.baudRate, log)
  const sim = build(line, log)
  const control = await startControl(options.controlHost, options.controlPort, sim.state, sim.actions)
  log(`serial ${line.url}`)
  log(`control ${control.url}`)
  const stop = () => {
    sim.stop?.()
    void Promise.all([line.close(), control.close()]).then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // Started by the demo: do not outlive the booth if it dies without stopping us.
  const parent = Number(process.env.SIM_PARENT_PID)
  if (parent > 0) setInterval(() => isAlive(parent) || stop(), 1000).unref()
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
