import { createHash, randomBytes } from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import { HttpAuthError } from '../camera'
import { CameraCommandError, type CameraBarrierApi } from './api'

/**
 * Any ONVIF camera's relay output (ONVIF DeviceIO service, `tmd:SetRelayOutputState` with `RelayOutputToken` and
 * `LogicalState` active|inactive) driving the barrier controller. SOAP 1.2 with a WS-Security UsernameToken
 * (PasswordDigest = Base64(SHA-1(nonce + created + password))), `Created` on the camera's clock (offset learned from
 * the unauthenticated GetSystemDateAndTime). The DeviceIO address comes from GetServices; a camera that lists none
 * is asked at its device service. Relay mode and pulse length are the camera's relay settings (monostable, e.g. 1 s).
 */
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true })
const DEVICE_IO = 'http://www.onvif.org/ver10/deviceIO/wsdl'

export interface OnvifRelayOptions {
  /** The device service URL, e.g. http://192.168.1.64/onvif/device_service. */
  url: string
  username: string
  password: string
  relayToken: string
  /** A second relay wired to the controller's close input, or null (it lowers by itself). */
  closeRelayToken: string | null
  timeoutMs: number
}

export function usernameToken(username: string, password: string, created: string, nonce: Buffer): string {
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64')
  return (
    '<wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"' +
    ' xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>' +
    `<wsse:Username>${username}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  )
}

function envelope(header: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
}

export function onvifRelayApi(options: OnvifRelayOptions): CameraBarrierApi {
  let clockOffsetMs: number | null = null
  let deviceIoUrl: string | null = null

  async function post(url: string, body: string, authenticated: boolean): Promise<Record<string, unknown>> {
    const header = authenticated ? usernameToken(options.username, options.password, new Date(Date.now() + (clockOffsetMs ?? 0)).toISOString(), randomBytes(16)) : ''
    const reply = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' }, body: envelope(header, body), signal: AbortSignal.timeout(options.timeoutMs) })
    const text = await reply.text()
    let doc: Record<string, unknown>
    try {
      doc = parser.parse(text, true) as Record<string, unknown>
    } catch {
      throw new CameraCommandError('摄像机回复不是 SOAP（XML 格式错误）')
    }
    const replyBody = (doc.Envelope as Record<string, unknown> | undefined)?.Body as Record<string, unknown> | undefined
    if (!replyBody) throw new CameraCommandError(`摄像机回复不是 SOAP（HTTP ${reply.status}）`)
    const fault = replyBody.Fault as Record<string, unknown> | undefined
    if (fault) {
      const flat = JSON.stringify(fault)
      if (/NotAuthorized/i.test(flat) || reply.status === 401) throw new HttpAuthError('camera refused the WS-UsernameToken')
      const reason = /"Text":"([^"]*)"/.exec(flat)?.[1] ?? flat.slice(0, 80)
      throw new CameraCommandError(`摄像机拒绝（${reason}）`)
    }
    if (reply.status === 401) throw new HttpAuthError('camera refused the credentials (HTTP 401)')
    return replyBody
  }

  async function prepare(): Promise<string> {
    if (clockOffsetMs === null) {
      const body = await post(options.url, '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>', false)
      const at = (node: unknown, key: string) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined)
      const utc = at(at(body.GetSystemDateAndTimeResponse, 'SystemDateAndTime'), 'UTCDateTime') as { Date?: Record<string, string>; Time?: Record<string, string> } | undefined
      const cameraNow = utc?.Date && utc.Time ? Date.UTC(+utc.Date.Year!, +utc.Date.Month! - 1, +utc.Date.Day!, +utc.Time.Hour!, +utc.Time.Minute!, +utc.Time.Second!) : NaN
      clockOffsetMs = Number.isFinite(cameraNow) ? cameraNow - Date.now() : 0
    }
    if (deviceIoUrl === null) {
      const body = await post(options.url, '<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl"><IncludeCapability>false</IncludeCapability></GetServices>', true)
      const listed = (body.GetServicesResponse as Record<string, unknown> | undefined)?.Service
      const services = (Array.isArray(listed) ? listed : listed ? [listed] : []) as Record<string, unknown>[]
      deviceIoUrl = String(services.find((service) => service.Namespace === DEVICE_IO)?.XAddr ?? options.url)
    }
    return deviceIoUrl
  }

  const setRelay = async (token: string) => {
    const url = await prepare()
    await post(url, `<SetRelayOutputState xmlns="${DEVICE_IO}"><RelayOutputToken>${escapeXml(token)}</RelayOutputToken><LogicalState>active</LogicalState></SetRelayOutputState>`, true)
  }

  return {
    open: () => setRelay(options.relayToken),
    lower: () => (options.closeRelayToken ? setRelay(options.closeRelayToken) : Promise.resolve()),
    inputs: () => Promise.reject(new CameraCommandError('ONVIF 继电器道闸不读取报警输入（请接线圈到道闸控制器）')),
    async probe() {
      const url = await prepare()
      await post(url, `<GetRelayOutputs xmlns="${DEVICE_IO}"/>`, true)
    }
  }
}
