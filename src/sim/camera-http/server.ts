import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Faults, type FaultMode } from './faults'
import { SimGate } from './gate'
import { isLoopback, readBody, sendJson } from './http'
import type { DigestGuard } from '../onvif/soap'
import type { CameraSimOptions } from './process'

export type PushReply = { status: number; body: string }

/** What every simulated plate camera keeps: the barrier behind it, its faults, the plates it recognised and pushed. */
export class CameraSimCore {
  readonly gate: SimGate
  readonly faults = new Faults()
  /** Plates recognised, oldest first, for the camera's own record search. */
  readonly recognised: { plate: string; at: Date }[] = []
  lastPlate: { plate: string; at: string; reply: PushReply } | null = null

  constructor(readonly options: CameraSimOptions) {
    this.gate = new SimGate(options.travelMs)
  }

  recognise(plate: string, at: Date): void {
    this.recognised.push({ plate, at })
    if (this.recognised.length > 100) this.recognised.shift()
  }

  pushed(plate: string, at: Date, reply: PushReply): PushReply {
    this.lastPlate = { plate, at: at.toISOString(), reply }
    return reply
  }
}

/**
 * Serves a simulated plate camera: its brand's API (`api`, under the brand's own paths, reached only past the fault
 * set and HTTP Digest, MD5 qop=auth) and the control endpoints
 * both brands share (loopback only): POST /sim/plate (the brand's push, answering the booth's reply), /sim/truck
 * {loopMs}, /sim/remote, /sim/fault {mode, slowMs?}; GET /sim/state.
 */
export async function serveCameraSim(
  core: CameraSimCore,
  digest: DigestGuard,
  api: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>,
  pushPlate: (body: Record<string, unknown>) => Promise<PushReply>
): Promise<{ url: string; close(): Promise<void> }> {
  const { gate, faults } = core
  async function guarded(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (await faults.apply(request, response, () => digest.challenge())) return
    if (!digest.verify(request.method ?? 'GET', request.headers.authorization)) {
      response.writeHead(401, { 'WWW-Authenticate': digest.challenge(), 'Content-Type': 'text/plain' }).end('Unauthorized')
      return
    }
    await api(request, response, url)
  }
  async function control(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!isLoopback(request)) return sendJson(response, 403, { error: 'control endpoints answer loopback only' })
    const text = (await readBody(request)).toString('utf8')
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>
    switch (`${request.method} ${path}`) {
      case 'POST /sim/plate':
        return sendJson(response, 200, await pushPlate(body))
      case 'POST /sim/truck':
        gate.truck(Number(body.loopMs ?? 1_500))
        return sendJson(response, 200, gate.state())
      case 'POST /sim/remote':
        gate.remote()
        return sendJson(response, 200, gate.state())
      case 'POST /sim/fault':
        faults.set((body.mode as FaultMode | undefined) ?? 'none', body.slowMs as number | undefined)
        return sendJson(response, 200, { mode: faults.mode })
      case 'GET /sim/state':
        return sendJson(response, 200, { ...gate.state(), lastPlate: core.lastPlate, fault: faults.mode })
      default:
        return sendJson(response, 404, { error: 'unknown control endpoint' })
    }
  }
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://camera')
    const handle = url.pathname.startsWith('/sim/') ? control(request, response, url.pathname) : guarded(request, response, url)
    handle.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message })
    })
  })
  await new Promise<void>((resolve) => server.listen(core.options.port, core.options.host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${core.options.host}:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
