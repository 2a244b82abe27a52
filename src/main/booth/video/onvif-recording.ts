import { randomBytes } from 'node:crypto'
import { usernameToken } from '../devices/barrier-camera/onvif-relay'
import type { DigestCredentials } from '../devices/camera/digest-fetch'
import { child, children, MalformedXmlError, soapBody, text, type XmlNode } from '../devices/camera/xml'
import { accepted, NvrError, nvrExchange, readText, UNAUTHORIZED } from './nvr-http'

/** An ONVIF Profile G recorder's recording of one lane camera. */
export interface OnvifRecorder {
  /** The device service URL, e.g. http://192.168.1.20/onvif/device_service. */
  url: string
  /** The RecordingToken of the lane camera's recording (as the recorder's GetRecordings or FindRecordings lists it). */
  recordingToken: string
  credentials: DigestCredentials
  timeoutMs: number
}

const SEARCH = 'http://www.onvif.org/ver10/search/wsdl'
const REPLAY = 'http://www.onvif.org/ver10/replay/wsdl'
const SCHEMA = 'http://www.onvif.org/ver10/schema'
const DEVICE = 'http://www.onvif.org/ver10/device/wsdl'
/** Rounds of GetRecordingSearchResults before a search that never says Completed is given up. */
const MAX_RESULT_ROUNDS = 10

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!)
}

/** The span a recording holds (RecordingInformation: EarliestRecording … LatestRecording), Unix ms. */
export interface RecordingSpan {
  earliest: number | null
  latest: number | null
}

/** The RecordingInformation of `token` in a GetRecordingSearchResults answer (its body), with the search state. */
export function recordingSearchResults(body: XmlNode, token: string): { state: string; span: RecordingSpan | null } {
  const list = child(child(body, 'GetRecordingSearchResultsResponse'), 'ResultList')
  if (!list) throw new NvrError('录像机的录像检索应答格式不对（缺少 ResultList）', true)
  const info = children(list, 'RecordingInformation').find((item) => text(item.RecordingToken) === token)
  const time = (value: unknown) => {
    const parsed = Date.parse(text(value))
    return Number.isFinite(parsed) ? parsed : null
  }
  return { state: text(list.SearchState) || 'Unknown', span: info ? { earliest: time(info.EarliestRecording), latest: time(info.LatestRecording) } : null }
}

/** Whether a recording holding `span` has any of the period (an open end is "still recording"). */
export function spanCovers(span: RecordingSpan, startAt: number, endAt: number, now: number): boolean {
  return (span.earliest ?? -Infinity) < endAt && (span.latest ?? now) > startAt
}

/**
 * ONVIF Profile G: the replay URI of the lane's recording when the recorder holds any of the period, else null. The
 * recorder's clock for the WS-UsernameToken (GetSystemDateAndTime), its search and replay service addresses
 * (GetServices), Recording Search (FindRecordings scoped to the recording, then GetRecordingSearchResults until
 * Completed) for the span the recording holds, and Replay's GetReplayUri (RTP unicast over RTSP).
 */
export async function findReplayUri(recorder: OnvifRecorder, startAt: number, endAt: number, now = Date.now()): Promise<string | null> {
  const session = new OnvifSession(recorder)
  await session.learnClock()
  const services = await session.services()
  const token = escapeXml(recorder.recordingToken)
  const found = await session.call(
    services.search,
    `<FindRecordings xmlns="${SEARCH}"><Scope><IncludedRecordings xmlns="${SCHEMA}">${token}</IncludedRecordings></Scope>` +
      `<MaxMatches>10</MaxMatches><KeepAliveTime>PT30S</KeepAliveTime></FindRecordings>`
  )
  const searchToken = text(child(found, 'FindRecordingsResponse')?.SearchToken)
  if (!searchToken) throw new NvrError('录像机的录像检索应答格式不对（缺少 SearchToken）', true)
  let result: ReturnType<typeof recordingSearchResults> = { state: 'Unknown', span: null }
  for (let round = 0; round < MAX_RESULT_ROUNDS; round++) {
    const body = await session.call(
      services.search,
      `<GetRecordingSearchResults xmlns="${SEARCH}"><SearchToken>${escapeXml(searchToken)}</SearchToken><MinResults>1</MinResults>` +
        `<MaxResults>10</MaxResults><WaitTime>PT1S</WaitTime></GetRecordingSearchResults>`
    )
    const answer = recordingSearchResults(body, recorder.recordingToken)
    result = { state: answer.state, span: answer.span ?? result.span }
    if (result.state === 'Completed' || result.span) break
  }
  if (result.state !== 'Completed') {
    // A search still open is ended so it does not hold one of the recorder's few search sessions until its keep-alive runs out.
    await session.call(services.search, `<EndSearch xmlns="${SEARCH}"><SearchToken>${escapeXml(searchToken)}</SearchToken></EndSearch>`).catch(() => undefined)
  }
  if (!result.span || !spanCovers(result.span, startAt, endAt, now)) return null
  const replay = await session.call(
    services.replay,
    `<GetReplayUri xmlns="${REPLAY}"><StreamSetup><Stream xmlns="${SCHEMA}">RTP-Unicast</Stream><Transport xmlns="${SCHEMA}"><Protocol>RTSP</Protocol></Transport></StreamSetup>` +
      `<RecordingToken>${token}</RecordingToken></GetReplayUri>`
  )
  const uri = text(child(replay, 'GetReplayUriResponse')?.Uri)
  if (!/^rtsp:\/\//i.test(uri)) throw new NvrError('录像机没有给出回放地址（GetReplayUri 应答中缺少 rtsp 地址）', true)
  return uri
}

/** SOAP 1.2 calls to one recorder, each with a fresh WS-UsernameToken on the recorder's clock; HTTP Digest when it asks. */
class OnvifSession {
  private clockOffsetMs = 0

  constructor(private readonly recorder: OnvifRecorder) {}

  async learnClock(): Promise<void> {
    const body = await this.call(this.recorder.url, `<GetSystemDateAndTime xmlns="${DEVICE}"/>`, false)
    const utc = child(child(child(body, 'GetSystemDateAndTimeResponse'), 'SystemDateAndTime'), 'UTCDateTime')
    const date = child(utc, 'Date')
    const time = child(utc, 'Time')
    const at = Date.UTC(Number(text(date?.Year)), Number(text(date?.Month)) - 1, Number(text(date?.Day)), Number(text(time?.Hour)), Number(text(time?.Minute)), Number(text(time?.Second)))
    this.clockOffsetMs = Number.isFinite(at) ? at - Date.now() : 0
  }

  /** The search and replay service addresses; a recorder that lists none is asked at its device service. */
  async services(): Promise<{ search: string; replay: string }> {
    const body = await this.call(this.recorder.url, `<GetServices xmlns="${DEVICE}"><IncludeCapability>false</IncludeCapability></GetServices>`)
    const listed = children(child(body, 'GetServicesResponse'), 'Service')
    const address = (namespace: string) => text(listed.find((service) => text(service.Namespace) === namespace)?.XAddr) || this.recorder.url
    return { search: address(SEARCH), replay: address(REPLAY) }
  }

  async call(url: string, operation: string, authenticated = true): Promise<XmlNode> {
    const { credentials, timeoutMs } = this.recorder
    const header = authenticated ? usernameToken(escapeXml(credentials.username), credentials.password, new Date(Date.now() + this.clockOffsetMs).toISOString(), randomBytes(16)) : ''
    const envelope = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${header}</s:Header><s:Body>${operation}</s:Body></s:Envelope>`
    let target: URL
    try {
      target = new URL(url)
    } catch {
      throw new NvrError(`录像机给出的服务地址无效（${url.slice(0, 80)}）`, true)
    }
    const response = await nvrExchange({ url: target, method: 'POST', body: envelope, contentType: 'application/soap+xml; charset=utf-8', credentials, timeoutMs })
    const status = response.statusCode ?? 0
    if (status >= 300 && !String(response.headers['content-type'] ?? '').includes('xml')) accepted(response)
    const reply = await readText(response)
    let body: XmlNode
    try {
      body = soapBody(reply)
    } catch (error) {
      if (!(error instanceof MalformedXmlError)) throw error
      if (status >= 300) accepted(response)
      throw new NvrError('录像机的应答不是 ONVIF（SOAP）格式，请检查录像机类型和地址', true)
    }
    const fault = child(body, 'Fault')
    if (fault) throw faultError(fault, status)
    if (status >= 300) accepted(response)
    return body
  }
}

/** A SOAP fault in the admin's words: a refused token reads as refused credentials (ONVIF Core §5.12: ter:NotAuthorized). */
function faultError(fault: XmlNode, status: number): NvrError {
  const codes = JSON.stringify(child(fault, 'Code') ?? {})
  if (/NotAuthorized|FailedAuthentication/i.test(codes) || status === 401) return new NvrError(UNAUTHORIZED, true)
  const reason = text(child(child(fault, 'Reason'), 'Text')) || codes.slice(0, 80)
  if (/NoRecording|InvalidToken/i.test(codes)) return new NvrError(`录像机上没有该通道的录像（录像标识错误：${reason}）`, true)
  return new NvrError(`录像机拒绝了请求（${reason}）`, true)
}
