import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { postToBooth, readBody } from '../camera-http/http'
import { CameraSimCore, serveCameraSim } from '../camera-http/server'
import { renderFrame } from '../onvif/frames'
import { DigestGuard } from '../onvif/soap'
import type { CameraSimOptions } from '../camera-http/process'

/**
 * A Hikvision ANPR / entrance camera as its ISAPI documents describe it, written from the ISAPI (ANPR) developer
 * guide, not from the booth's code:
 * - `PUT /ISAPI/Parking/channels/1/barrierGate` `<BarrierGate><ctrlMode>open|close</ctrlMode></BarrierGate>`;
 * - `PUT /ISAPI/System/IO/outputs/<n>/trigger` `<IOPortData><outputState>high</outputState></IOPortData>` (output 1
 *   wired to the controller's open input, output 2 to its close input);
 * - `GET /ISAPI/System/IO/inputs/<n>/status` → `<IOPortStatus><ioState>active|inactive</ioState>` (input 1 the loop
 *   detector, 2 the arm-up limit switch, 3 the arm-down one); `GET /ISAPI/System/deviceInfo`;
 * - every answer a `<ResponseStatus>` (statusCode 1 OK, 4 Invalid Operation, 6 Invalid XML Content); HTTP Digest
 *   (MD5, qop=auth) on every call.
 * - "HTTP listening" alarm push: POST multipart/form-data to the configured host — the `EventNotificationAlert`
 *   (XML, or JSON) with eventType ANPR, then licensePlatePicture.jpg and detectionPicture.jpg.
 * Control endpoints (loopback only): /sim/plate, /sim/truck, /sim/remote, /sim/fault, /sim/state.
 */
const NS = 'http://www.isapi.org/ver20/XMLSchema'


export interface PlateRequest {
  plate: string
  colour?: string
  vehicleType?: string
  confidence?: number
  format?: 'xml' | 'json' | 'xml-only'
  /** A broken push, for the booth's error handling. */
  fault?: 'truncated' | 'bad-xml' | 'not-jpeg'
}

function responseStatus(code: number, text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="2.0" xmlns="${NS}"><requestURL></requestURL><statusCode>${code}</statusCode><statusString>${text}</statusString><subStatusCode>${code === 1 ? 'ok' : 'badXmlContent'}</subStatusCode></ResponseStatus>`
}

function beijingIso(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00')
}

export function anprAlertXml(request: PlateRequest, at: Date, uuid: string, pictures: string[]): string {
  const infos = pictures.map((name) => `<pictureInfo><fileName>${name}</fileName><type>${name.replace('.jpg', '')}</type><dataType>0</dataType></pictureInfo>`).join('')
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<EventNotificationAlert version="2.0" xmlns="${NS}">` +
    `<ipAddress>127.0.0.1</ipAddress><portNo>80</portNo><protocol>HTTP</protocol><macAddress>44:19:b6:00:00:01</macAddress><channelID>1</channelID>` +
    `<dateTime>${beijingIso(at)}</dateTime><activePostCount>1</activePostCount><eventType>ANPR</eventType><eventState>active</eventState>` +
    `<eventDescription>ANPR</eventDescription><channelName>Camera 01</channelName>` +
    `<ANPR><country>CHN</country><licensePlate>${request.plate}</licensePlate><line>1</line><direction>forward</direction>` +
    `<confidenceLevel>${request.confidence ?? 96}</confidenceLevel><plateType>unknown</plateType><plateColor>${request.colour ?? 'yellow'}</plateColor>` +
    `<licenseBright>0</licenseBright><vehicleType>${request.vehicleType ?? 'truck'}</vehicleType><detectDir>8</detectDir>` +
    `<pictureInfoList>${infos}</pictureInfoList></ANPR><UUID>${uuid}</UUID><picNum>${pictures.length}</picNum></EventNotificationAlert>`
  )
}

function anprAlertJson(request: PlateRequest, at: Date, uuid: string, pictures: string[]): string {
  return JSON.stringify({
    ipAddress: '127.0.0.1',
    portNo: 80,
    protocol: 'HTTP',
    channelID: 1,
    dateTime: beijingIso(at),
    activePostCount: 1,
    eventType: 'ANPR',
    eventState: 'active',
    eventDescription: 'ANPR',
    ANPR: {
      licensePlate: request.plate,
      plateColor: request.colour ?? 'yellow',
      vehicleType: request.vehicleType ?? 'truck',
      confidenceLevel: request.confidence ?? 96,
      pictureInfoList: { pictureInfo: pictures.map((name) => ({ fileName: name, type: name.replace('.jpg', '') })) }
    },
    UUID: uuid
  })
}

function multipart(boundary: string, parts: { name: string; type: string; body: Buffer }[], truncated: boolean): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.name}"\r\nContent-Type: ${part.type}\r\nContent-Length: ${part.body.length}\r\n\r\n`))
    chunks.push(part.body, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  const whole = Buffer.concat(chunks)
  return truncated ? whole.subarray(0, Math.floor(whole.length * 0.6)) : whole
}

export async function startHikvisionSim(options: CameraSimOptions) {
  const digest = new DigestGuard('IP Camera(C1234)', options.username, options.password)
  const core = new CameraSimCore(options)
  const { gate, recognised } = core
  /** Told just before a push goes out, after its pictures are drawn (a benchmark times the booth from here). */
  const hooks: { onPush: (() => void) | null } = { onPush: null }

  const input = (n: number): boolean | null => (n === 1 ? gate.loop : n === 2 ? gate.arm === 'up' : n === 3 ? gate.arm === 'down' : null)

  async function isapi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    const xml = (status: number, body: string): void => void response.writeHead(status, { 'Content-Type': 'application/xml; charset="UTF-8"' }).end(body)
    const body = (await readBody(request)).toString('utf8')
    if (request.method === 'PUT' && /^\/ISAPI\/Parking\/channels\/1\/barrierGate$/.test(path)) {
      const mode = /<ctrlMode>\s*(\w+)\s*<\/ctrlMode>/.exec(body)?.[1]
      if (mode === 'open') gate.open()
      else if (mode === 'close') gate.close()
      else return xml(400, responseStatus(6, 'Invalid XML Content'))
      return xml(200, responseStatus(1, 'OK'))
    }
    const output = /^\/ISAPI\/System\/IO\/outputs\/(\d+)\/trigger$/.exec(path)
    if (request.method === 'PUT' && output) {
      if (!/<outputState>\s*high\s*<\/outputState>/.test(body)) return xml(400, responseStatus(6, 'Invalid XML Content'))
      if (output[1] === '1') gate.open()
      else if (output[1] === '2') gate.close()
      else return xml(400, responseStatus(4, 'Invalid Operation'))
      return xml(200, responseStatus(1, 'OK'))
    }
    const inputMatch = /^\/ISAPI\/System\/IO\/inputs\/(\d+)\/status$/.exec(path)
    if (request.method === 'GET' && inputMatch) {
      const active = input(Number(inputMatch[1]))
      if (active === null) return xml(404, responseStatus(4, 'Invalid Operation'))
      return xml(200, `<?xml version="1.0" encoding="UTF-8"?><IOPortStatus version="2.0" xmlns="${NS}"><inputPort>${inputMatch[1]}</inputPort><ioPortType>input</ioPortType><ioState>${active ? 'active' : 'inactive'}</ioState></IOPortStatus>`)
    }
    if (request.method === 'POST' && path === '/ISAPI/Traffic/channels/1/vehicleDetect/plates') {
      // AfterTime picTime yyyyMMddTHHmmss (camera local time, here UTC+8): the plates recognised since.
      const since = /<picTime>\s*(\d{8}T\d{6})\s*<\/picTime>/.exec(body)?.[1]
      if (!since) return xml(400, responseStatus(6, 'Invalid XML Content'))
      const stamp = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:]/g, '').slice(0, 15)
      const plates = recognised
        .filter((entry) => stamp(entry.at) >= since)
        .map((entry) => `<Plate><captureTime>${stamp(entry.at)}</captureTime><plateNumber>${entry.plate}</plateNumber><picName>${stamp(entry.at)}01</picName><country>CHN</country></Plate>`)
      return xml(200, `<?xml version="1.0" encoding="UTF-8"?><Plates version="2.0" xmlns="${NS}">${plates.join('')}</Plates>`)
    }
    if (request.method === 'GET' && path === '/ISAPI/System/deviceInfo') {
      return xml(200, `<?xml version="1.0" encoding="UTF-8"?><DeviceInfo version="2.0" xmlns="${NS}"><deviceName>${options.laneName}</deviceName><model>iDS-TCM403-GIR</model><firmwareVersion>V5.5.800</firmwareVersion></DeviceInfo>`)
    }
    xml(404, responseStatus(4, 'Invalid Operation'))
  }

  async function pushPlate(request: PlateRequest): Promise<{ status: number; body: string }> {
    if (!options.pushUrl) return { status: 0, body: 'no --push-url' }
    const at = new Date()
    core.recognise(request.plate, at)
    const uuid = randomUUID()
    const scene = await renderFrame({ laneName: options.laneName, plate: request.plate, at })
    const closeUp = request.fault === 'not-jpeg' ? Buffer.from('GIF89a not a jpeg at all') : scene.subarray(0)
    const pictures = [
      { name: 'licensePlatePicture.jpg', type: 'image/jpeg', body: closeUp },
      { name: 'detectionPicture.jpg', type: 'image/jpeg', body: request.fault === 'not-jpeg' ? closeUp : scene }
    ]
    const names = pictures.map((picture) => picture.name)
    let reply
    hooks.onPush?.()
    if (request.format === 'xml-only') {
      reply = await postToBooth(options.pushUrl, anprAlertXml(request, at, uuid, []), 'application/xml; charset="UTF-8"')
    } else {
      const json = request.format === 'json'
      let alert = json ? anprAlertJson(request, at, uuid, names) : anprAlertXml(request, at, uuid, names)
      if (request.fault === 'bad-xml') alert = alert.replace('</ANPR>', '</ANRP>')
      const boundary = `boundary${uuid.replace(/-/g, '')}`
      const alertPart = { name: json ? 'ANPR.json' : 'anpr.xml', type: json ? 'application/json' : 'application/xml', body: Buffer.from(alert) }
      reply = await postToBooth(options.pushUrl, multipart(boundary, [alertPart, ...pictures], request.fault === 'truncated'), `multipart/form-data; boundary=${boundary}`)
    }
    return core.pushed(request.plate, at, reply)
  }

  const served = await serveCameraSim(core, digest, isapi, (body) => pushPlate(body as unknown as PlateRequest))
  return { ...served, gate, hooks, pushPlate }
}
