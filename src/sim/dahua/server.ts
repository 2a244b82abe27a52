import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Faults, type FaultMode } from '../camera-http/faults'
import { SimGate } from '../camera-http/gate'
import { isLoopback, postToBooth, readBody, sendJson } from '../camera-http/http'
import { renderFrame } from '../onvif/frames'
import { DigestGuard } from '../onvif/soap'
import type { CameraSimOptions } from '../camera-http/process'

/**
 * A Dahua ITC entrance camera as its HTTP API and ITSAPI documents describe it, written from those, not from the
 * booth's code:
 * - `GET /cgi-bin/trafficSnap.cgi?action=openStrobe&channel=1&info.openType=Normal` / `action=closeStrobe` → `OK`;
 * - `GET /cgi-bin/alarm.cgi?action=getInState` → `result=<mask>` (bit 0 input 1: the loop; bit 1 input 2: arm up;
 *   bit 2 input 3: arm down); `GET /cgi-bin/magicBox.cgi?action=getSystemInfo`;
 * - HTTP Digest (MD5, qop=auth) on every call;
 * - ITSAPI platform push of each plate: POST JSON `{ Picture: { Plate, SnapInfo, Vehicle, NormalPic, CutoutPic } }`.
 * Control endpoints (loopback only): /sim/plate, /sim/truck, /sim/remote, /sim/fault, /sim/state.
 */

function localTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '')
}

export async function startDahuaSim(options: CameraSimOptions) {
  const digest = new DigestGuard('Login to 4L0A1234PAZ', options.username, options.password)
  const gate = new SimGate(options.travelMs)
  const faults = new Faults()
  let uploadNum = 0
  let lastPlate: { plate: string; at: string; reply: { status: number; body: string } } | null = null

  async function cgi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (await faults.apply(request, response, () => digest.challenge())) return
    if (!digest.verify(request.method ?? 'GET', request.headers.authorization)) {
      response.writeHead(401, { 'WWW-Authenticate': digest.challenge(), 'Content-Type': 'text/plain' }).end('Unauthorized')
      return
    }
    const text = (status: number, body: string): void => void response.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${body}\r\n`)
    const action = url.searchParams.get('action')
    if (url.pathname === '/cgi-bin/trafficSnap.cgi') {
      if (action === 'openStrobe') gate.open()
      else if (action === 'closeStrobe') gate.close()
      else return text(400, 'Error\r\nBad Request!')
      return text(200, 'OK')
    }
    if (url.pathname === '/cgi-bin/alarm.cgi' && action === 'getInState') {
      const mask = (gate.loop ? 1 : 0) | (gate.arm === 'up' ? 2 : 0) | (gate.arm === 'down' ? 4 : 0)
      return text(200, `result=${mask}`)
    }
    if (url.pathname === '/cgi-bin/magicBox.cgi' && action === 'getSystemInfo') return text(200, 'deviceType=ITC237-PU1B-IR\r\nserialNumber=4L0A1234PAZ')
    text(404, 'Error\r\nBad Request!')
  }

  async function pushPlate(request: { plate: string; colour?: string; fault?: 'not-jpeg' | 'garbage' }): Promise<{ status: number; body: string }> {
    if (!options.pushUrl) return { status: 0, body: 'no --push-url' }
    const at = new Date()
    uploadNum += 1
    const scene = request.fault === 'not-jpeg' ? Buffer.from('not a jpeg') : await renderFrame({ laneName: options.laneName, plate: request.plate, at })
    const body =
      request.fault === 'garbage'
        ? '{"Picture": {"Plate": '
        : JSON.stringify({
            Picture: {
              Plate: { PlateNumber: request.plate, PlateColor: request.colour ?? 'Yellow', PlateType: 'Normal', Confidence: 95, UploadNum: uploadNum, Channel: 0, IsExist: true },
              SnapInfo: { AccurateTime: localTime(at), TimeZone: 8, Direction: 'Obverse', DeviceID: '4L0A1234PAZ' },
              Vehicle: { VehicleType: 'LargeTruck', VehicleColor: 'Yellow' },
              NormalPic: { PicName: 'normal.jpg', Content: scene.toString('base64') },
              CutoutPic: { PicName: 'plate.jpg', Content: scene.toString('base64') }
            }
          })
    const reply = await postToBooth(options.pushUrl, body, 'application/json')
    lastPlate = { plate: request.plate, at: at.toISOString(), reply }
    return reply
  }

  async function control(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!isLoopback(request)) return sendJson(response, 403, { error: 'control endpoints answer loopback only' })
    const text = (await readBody(request)).toString('utf8')
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>
    switch (`${request.method} ${path}`) {
      case 'POST /sim/plate':
        return sendJson(response, 200, await pushPlate(body as { plate: string }))
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
        return sendJson(response, 200, { ...gate.state(), lastPlate, fault: faults.mode })
      default:
        return sendJson(response, 404, { error: 'unknown control endpoint' })
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://camera')
    const handle = url.pathname.startsWith('/sim/') ? control(request, response, url.pathname) : cgi(request, response, url)
    handle.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message })
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
