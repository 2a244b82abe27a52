import type { IncomingMessage, ServerResponse } from 'node:http'
import { postToBooth } from '../camera-http/http'
import { CameraSimCore, serveCameraSim } from '../camera-http/server'
import { renderFrame } from '../onvif/frames'
import { DigestGuard } from '../onvif/soap'
import type { CameraSimOptions } from '../camera-http/process'

/**
 * A Dahua ITC entrance camera as its HTTP API and ITSAPI documents describe it, written from those, not from the
 * booth's code:
 * - `GET /cgi-bin/trafficSnap.cgi?action=openStrobe&channel=1&info.openType=Normal` / `action=closeStrobe` → `OK`;
 * - `GET /cgi-bin/alarm.cgi?action=getInState` → `result=<mask>` (bit 0 input 1: the loop; bit 1 input 2: arm up;
 *   bit 2 input 3: arm down); `GET /cgi-bin/magicBox.cgi?action=getSystemInfo`;
 * - `GET /cgi-bin/recordFinder.cgi?action=find&name=TrafficSnapEventInfo&condition.StartTime=<s>&condition.EndTime=<s>`
 *   (HTTP API, traffic records: find snap event info, epoch seconds) → `found=N` and `records[i].PlateNumber=…`,
 *   `records[i].Time=yyyy-MM-dd HH:mm:ss` (camera local time), `records[i].PlateColor`, `records[i].VehicleType`;
 * - HTTP Digest (MD5, qop=auth) on every call;
 * - ITSAPI platform push of each plate: POST JSON `{ Picture: { Plate, SnapInfo, Vehicle, NormalPic, CutoutPic } }`.
 * Control endpoints (loopback only): /sim/plate, /sim/truck, /sim/remote, /sim/fault, /sim/state.
 */

function localTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '')
}

export interface DahuaPlateRequest {
  plate: string
  colour?: string
  /** Picture.Vehicle.VehicleType as the camera words it (LargeTruck, MiddleTruck, LightTruck, SaloonCar, LargeBus …). */
  vehicleType?: string
  fault?: 'not-jpeg' | 'garbage'
}

export async function startDahuaSim(options: CameraSimOptions) {
  const digest = new DigestGuard('Login to 4L0A1234PAZ', options.username, options.password)
  const core = new CameraSimCore(options)
  const { gate } = core
  const types = new Map<string, string>()
  let uploadNum = 0

  async function cgi(_request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
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
    if (url.pathname === '/cgi-bin/recordFinder.cgi' && action === 'find' && url.searchParams.get('name') === 'TrafficSnapEventInfo') {
      const start = Number(url.searchParams.get('condition.StartTime'))
      const end = Number(url.searchParams.get('condition.EndTime'))
      if (!Number.isFinite(start) || !Number.isFinite(end)) return text(400, 'Error\r\nBad Request!')
      const found = core.recognised.filter((entry) => entry.at.getTime() / 1000 >= start && entry.at.getTime() / 1000 <= end + 1)
      const lines = found.flatMap((entry, i) => [
        `records[${i}].RecNo=${i + 1}`,
        `records[${i}].PlateNumber=${entry.plate}`,
        `records[${i}].Time=${localTime(entry.at).slice(0, 19)}`,
        `records[${i}].PlateColor=Yellow`,
        `records[${i}].VehicleType=${types.get(entry.plate) ?? 'LargeTruck'}`
      ])
      return text(200, [`found=${found.length}`, ...lines].join('\r\n'))
    }
    text(404, 'Error\r\nBad Request!')
  }

  async function pushPlate(request: DahuaPlateRequest): Promise<{ status: number; body: string }> {
    if (!options.pushUrl) return { status: 0, body: 'no --push-url' }
    const at = new Date()
    uploadNum += 1
    core.recognise(request.plate, at)
    types.set(request.plate, request.vehicleType ?? 'LargeTruck')
    const scene = request.fault === 'not-jpeg' ? Buffer.from('not a jpeg') : await renderFrame({ laneName: options.laneName, plate: request.plate, at })
    const body =
      request.fault === 'garbage'
        ? '{"Picture": {"Plate": '
        : JSON.stringify({
            Picture: {
              Plate: { PlateNumber: request.plate, PlateColor: request.colour ?? 'Yellow', PlateType: 'Normal', Confidence: 95, UploadNum: uploadNum, Channel: 0, IsExist: true },
              SnapInfo: { AccurateTime: localTime(at), TimeZone: 8, Direction: 'Obverse', DeviceID: '4L0A1234PAZ' },
              Vehicle: { VehicleType: request.vehicleType ?? 'LargeTruck', VehicleColor: 'Yellow' },
              NormalPic: { PicName: 'normal.jpg', Content: scene.toString('base64') },
              CutoutPic: { PicName: 'plate.jpg', Content: scene.toString('base64') }
            }
          })
    return core.pushed(request.plate, at, await postToBooth(options.pushUrl, body, 'application/json'))
  }

  return serveCameraSim(core, digest, cgi, (body) => pushPlate(body as unknown as DahuaPlateRequest))
}
