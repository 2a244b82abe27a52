import { XMLParser } from 'fast-xml-parser'
import type { DigestClient } from '../camera'
import { CameraCommandError, type CameraBarrierApi } from './api'

/**
 * Hikvision ISAPI (Intelligent Security API): the barrier of an ANPR/entrance camera through
 * `PUT /ISAPI/Parking/channels/{channel}/barrierGate` (`<BarrierGate><ctrlMode>open|close</ctrlMode></BarrierGate>`),
 * or a barrier controller wired to the camera's alarm output through `PUT /ISAPI/System/IO/outputs/{n}/trigger`
 * (`<IOPortData><outputState>high</outputState></IOPortData>`: the output pulses for the delay set on the camera);
 * alarm inputs from `GET /ISAPI/System/IO/inputs/{n}/status` (`<IOPortStatus><ioState>active|inactive`). Every
 * answer is a `ResponseStatus` whose `statusCode` 1 means OK.
 */
const NS = 'http://www.isapi.org/ver20/XMLSchema'
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true })

export interface HikvisionOptions {
  baseUrl: string
  channel: number
  /** barrierGate: the camera's own barrier control; io-output: a controller on the camera's alarm outputs. */
  control: 'barrierGate' | 'io-output'
  openOutput: number
  closeOutput: number | null
}

export function barrierGateBody(mode: 'open' | 'close'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><BarrierGate version="2.0" xmlns="${NS}"><ctrlMode>${mode}</ctrlMode></BarrierGate>`
}

export function outputTriggerBody(): string {
  return `<?xml version="1.0" encoding="UTF-8"?><IOPortData version="2.0" xmlns="${NS}"><outputState>high</outputState></IOPortData>`
}

function parseXml(text: string, what: string): Record<string, unknown> {
  if (!text.trimStart().startsWith('<')) throw new CameraCommandError(`${what}：摄像机回复不是 XML（${text.slice(0, 60)}）`)
  try {
    return parser.parse(text, true) as Record<string, unknown>
  } catch {
    throw new CameraCommandError(`${what}：摄像机回复的 XML 格式错误`)
  }
}

/** Throws unless the ISAPI answer is a ResponseStatus with statusCode 1 (OK). */
export function checkResponseStatus(status: number, text: string, what: string): void {
  const doc = parseXml(text, what)
  const response = doc.ResponseStatus as Record<string, unknown> | undefined
  if (!response) throw new CameraCommandError(`${what}：摄像机回复中没有 ResponseStatus（HTTP ${status}）`)
  const code = String(response.statusCode ?? '')
  if (status === 200 && code === '1') return
  throw new CameraCommandError(`${what}：摄像机拒绝（HTTP ${status}，${String(response.statusString ?? '')} ${String(response.subStatusCode ?? '')}`.trim() + '）')
}

export function inputActive(text: string): boolean {
  const doc = parseXml(text, '读取报警输入')
  const state = (doc.IOPortStatus as Record<string, unknown> | undefined)?.ioState
  if (state !== 'active' && state !== 'inactive') throw new CameraCommandError('读取报警输入：摄像机回复中没有 ioState')
  return state === 'active'
}

export function hikvisionApi(client: DigestClient, options: HikvisionOptions): CameraBarrierApi {
  const base = options.baseUrl.replace(/\/+$/, '')
  const put = async (path: string, body: string, what: string) => {
    const reply = await client.request(`${base}${path}`, { method: 'PUT', body, contentType: 'application/xml; charset="UTF-8"' })
    checkResponseStatus(reply.status, reply.body.toString('utf8'), what)
  }
  const command = (mode: 'open' | 'close') => {
    const what = mode === 'open' ? '抬杆' : '落杆'
    if (options.control === 'barrierGate') return put(`/ISAPI/Parking/channels/${options.channel}/barrierGate`, barrierGateBody(mode), what)
    const output = mode === 'open' ? options.openOutput : options.closeOutput
    // A controller that lowers by itself (auto-close) has no close wire: nothing to send.
    if (output === null) return Promise.resolve()
    return put(`/ISAPI/System/IO/outputs/${output}/trigger`, outputTriggerBody(), what)
  }
  return {
    open: () => command('open'),
    lower: () => command('close'),
    async inputs(numbers) {
      const states = new Map<number, boolean>()
      for (const number of numbers) {
        const reply = await client.request(`${base}/ISAPI/System/IO/inputs/${number}/status`)
        if (reply.status !== 200) throw new CameraCommandError(`读取报警输入 ${number}：HTTP ${reply.status}`)
        states.set(number, inputActive(reply.body.toString('utf8')))
      }
      return states
    },
    async lastPlate() {
      // The plates recognised since a day ago, oldest first (ISAPI Traffic: vehicleDetect/plates with AfterTime).
      const since = new Date(Date.now() - 86_400_000).toISOString().replace(/[-:]/g, '').slice(0, 15)
      const body = `<?xml version="1.0" encoding="UTF-8"?><AfterTime version="2.0" xmlns="${NS}"><picTime>${since}</picTime></AfterTime>`
      const reply = await client.request(`${base}/ISAPI/Traffic/channels/${options.channel}/vehicleDetect/plates`, { method: 'POST', body, contentType: 'application/xml; charset="UTF-8"' })
      if (reply.status !== 200) throw new CameraCommandError(`读取车牌记录：HTTP ${reply.status}`)
      const listed = (parseXml(reply.body.toString('utf8'), '读取车牌记录').Plates as Record<string, unknown> | undefined)?.Plate
      const plates = (Array.isArray(listed) ? listed : listed ? [listed] : []) as Record<string, unknown>[]
      const last = plates.at(-1)
      return last ? { plate: String(last.plateNumber ?? ''), at: String(last.captureTime ?? '') } : null
    },
    async probe() {
      const reply = await client.request(`${base}/ISAPI/System/deviceInfo`)
      if (reply.status !== 200) throw new CameraCommandError(`设备信息：HTTP ${reply.status}`)
      const doc = parseXml(reply.body.toString('utf8'), '设备信息')
      if (!doc.DeviceInfo) throw new CameraCommandError('设备信息：摄像机回复中没有 DeviceInfo')
    }
  }
}
