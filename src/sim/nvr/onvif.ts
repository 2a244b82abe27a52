/**
 * The recorder's ONVIF Profile G services as SOAP 1.2 over HTTP (ONVIF Core, Recording Search and Replay Control
 * service specifications): the device service (GetSystemDateAndTime without authentication, GetServices), Recording
 * Search (FindRecordings → SearchToken, GetRecordingSearchResults answering Searching once then Completed with the
 * RecordingInformation, EndSearch, GetRecordingSummary) and Replay (GetReplayUri → the RTSP replay server). Every call
 * but the clock needs a WS-UsernameToken (PasswordDigest); a refused one is a ter:NotAuthorized fault.
 */
import { randomBytes } from 'node:crypto'
import { checkUsernameToken, envelope, escapeXml, fault, parseSoapRequest, SoapParseError } from '../onvif/soap'

export interface OnvifRecorderSim {
  username: string
  password: string
  /** The recording tokens held, one per camera. */
  recordings: readonly string[]
  /** The span the recorder still holds, Unix ms. */
  held(): { from: number; to: number }
  /** Whether the recorder has lost every recording (the no-recording fault). */
  empty(): boolean
  /** Whether every token is refused (the unauthorized fault). */
  refuseAll(): boolean
  httpBase: string
  rtspBase(): string
  counters: { searches: number }
}

const SEARCH = 'http://www.onvif.org/ver10/search/wsdl'
const REPLAY = 'http://www.onvif.org/ver10/replay/wsdl'
const DEVICE = 'http://www.onvif.org/ver10/device/wsdl'

interface Search {
  tokens: string[]
  rounds: number
  createdAt: number
}

export function onvifServices(sim: OnvifRecorderSim): (path: string, body: string) => { status: number; xml: string } | null {
  const searches = new Map<string, Search>()
  const iso = (at: number) => new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

  function recordingInformation(token: string): string {
    const { from, to } = sim.held()
    return (
      `<tt:RecordingInformation><tt:RecordingToken>${escapeXml(token)}</tt:RecordingToken>` +
      `<tt:Source><tt:SourceId>${escapeXml(sim.httpBase)}/camera/${escapeXml(token)}</tt:SourceId><tt:Name>${escapeXml(token)}</tt:Name><tt:Location>gate</tt:Location><tt:Description>lane camera</tt:Description><tt:Address>${escapeXml(sim.httpBase)}</tt:Address></tt:Source>` +
      `<tt:EarliestRecording>${iso(from)}</tt:EarliestRecording><tt:LatestRecording>${iso(to)}</tt:LatestRecording><tt:Content>lane</tt:Content>` +
      `<tt:Track><tt:TrackToken>VIDEO001</tt:TrackToken><tt:TrackType>Video</tt:TrackType><tt:Description>H.264</tt:Description><tt:DataFrom>${iso(from)}</tt:DataFrom><tt:DataTo>${iso(to)}</tt:DataTo></tt:Track>` +
      `<tt:RecordingStatus>Recording</tt:RecordingStatus></tt:RecordingInformation>`
    )
  }

  function answer(action: string, params: Record<string, unknown>): { status: number; xml: string } {
    const ok = (xml: string) => ({ status: 200, xml: envelope(xml) })
    const invalid = (reason: string) => ({ status: 400, xml: fault('env:Sender', 'ter:InvalidArgVal', reason) })
    switch (action) {
      case 'GetServices':
        return ok(
          `<tds:GetServicesResponse>` +
            [
              [DEVICE, '/onvif/device_service'],
              [SEARCH, '/onvif/search_service'],
              [REPLAY, '/onvif/replay_service']
            ]
              .map(([namespace, path]) => `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${sim.httpBase}${path}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>0</tt:Minor></tds:Version></tds:Service>`)
              .join('') +
            `</tds:GetServicesResponse>`
        )
      case 'FindRecordings': {
        sim.counters.searches++
        const scope = (params.Scope ?? {}) as Record<string, unknown>
        const included = [scope.IncludedRecordings ?? []].flat().map(String).filter((token) => token !== '')
        for (const [key, search] of searches) if (Date.now() - search.createdAt > 60_000) searches.delete(key)
        if (searches.size >= 16) return { status: 400, xml: fault('env:Receiver', 'ter:ResourceProblem', 'too many open searches') }
        const token = `search-${randomBytes(6).toString('hex')}`
        searches.set(token, { tokens: included.length > 0 ? included : [...sim.recordings], rounds: 0, createdAt: Date.now() })
        return ok(`<tse:FindRecordingsResponse xmlns:tse="${SEARCH}"><tse:SearchToken>${token}</tse:SearchToken></tse:FindRecordingsResponse>`)
      }
      case 'GetRecordingSearchResults': {
        const search = searches.get(String(params.SearchToken ?? ''))
        if (!search) return { status: 400, xml: fault('env:Sender', 'ter:InvalidArgVal', 'unknown SearchToken') }
        search.rounds++
        // A real search takes a moment: the first answer says Searching with nothing found yet.
        const completed = search.rounds > 1
        if (completed) searches.delete(String(params.SearchToken))
        const found = completed && !sim.empty() ? search.tokens.filter((token) => sim.recordings.includes(token)).map(recordingInformation).join('') : ''
        return ok(`<tse:GetRecordingSearchResultsResponse xmlns:tse="${SEARCH}"><tse:ResultList><tt:SearchState>${completed ? 'Completed' : 'Searching'}</tt:SearchState>${found}</tse:ResultList></tse:GetRecordingSearchResultsResponse>`)
      }
      case 'EndSearch': {
        searches.delete(String(params.SearchToken ?? ''))
        return ok(`<tse:EndSearchResponse xmlns:tse="${SEARCH}"><tse:Endpoint>${iso(Date.now())}</tse:Endpoint></tse:EndSearchResponse>`)
      }
      case 'GetRecordingSummary': {
        const { from, to } = sim.held()
        return ok(`<tse:GetRecordingSummaryResponse xmlns:tse="${SEARCH}"><tse:Summary><tt:DataFrom>${iso(from)}</tt:DataFrom><tt:DataUntil>${iso(to)}</tt:DataUntil><tt:NumberRecordings>${sim.recordings.length}</tt:NumberRecordings></tse:Summary></tse:GetRecordingSummaryResponse>`)
      }
      case 'GetReplayUri': {
        const token = String(params.RecordingToken ?? '')
        const setup = JSON.stringify(params.StreamSetup ?? {})
        if (!setup.includes('RTP-Unicast') || !setup.includes('RTSP')) return invalid('only RTP-Unicast over RTSP is offered')
        if (!sim.recordings.includes(token)) return { status: 400, xml: fault('env:Sender', 'ter:InvalidArgVal', `no recording ${token}`) }
        return ok(`<trp:GetReplayUriResponse xmlns:trp="${REPLAY}"><trp:Uri>${escapeXml(`${sim.rtspBase()}/replay/${token}`)}</trp:Uri></trp:GetReplayUriResponse>`)
      }
      default:
        return { status: 400, xml: fault('env:Receiver', 'ter:ActionNotSupported', `${action} is not supported`) }
    }
  }

  return (path, body) => {
    if (!['/onvif/device_service', '/onvif/search_service', '/onvif/replay_service'].includes(path)) return null
    let request: ReturnType<typeof parseSoapRequest>
    try {
      request = parseSoapRequest(body)
    } catch (error) {
      if (!(error instanceof SoapParseError)) throw error
      return { status: 400, xml: fault('env:Sender', 'ter:WellFormed', error.message) }
    }
    if (request.action === 'GetSystemDateAndTime') {
      const now = new Date()
      return {
        status: 200,
        xml: envelope(
          `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
            `<tt:UTCDateTime><tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
            `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
        )
      }
    }
    if (sim.refuseAll() || !checkUsernameToken(request.header, sim.username, sim.password)) {
      return { status: 400, xml: fault('env:Sender', 'ter:NotAuthorized', 'Sender not authorized') }
    }
    return answer(request.action, request.params)
  }
}
