/**
 * A recorder as the booth fetches clips from it, two ways. Hikvision ISAPI ContentMgmt: POST
 * /ISAPI/ContentMgmt/search (CMSearchDescription → CMSearchResult with playbackURI) and GET (or POST)
 * /ISAPI/ContentMgmt/download (downloadRequest → the stream's bytes), both behind HTTP Digest. ONVIF Profile G:
 * Recording Search and Replay over SOAP (./onvif.ts) and the RTSP replay server (./rtsp-server.ts). It "records"
 * continuously from `retainHours` ago to now; older periods are overwritten (NO MATCHES). Faults for tests: slow,
 * 401 whatever the credentials, no recording at all, disconnect half way through a download or replay, and for the
 * replay garbage instead of RTSP or an interleaved frame cut short.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { XMLParser } from 'fast-xml-parser'
import { annexBUnits } from './rtp'
import { DigestGuard } from '../onvif/soap'
import { onvifServices } from './onvif'
import { elementaryStream, recordingBytes } from './recording'
import { startReplayServer, type ReplayFault } from './rtsp-server'

export type NvrFault = ReplayFault

/** The ONVIF recording tokens the simulator holds, one per camera. */
export const ONVIF_RECORDINGS = ['rec1', 'rec2', 'rec3', 'rec4'] as const

export interface NvrSimOptions {
  host: string
  port: number
  username: string
  password: string
  /** How far back the recorder still holds video. */
  retainHours: number
  /** Search and playback times in UTC, or Beijing time written with a Z (as many firmwares do). */
  deviceTime: 'utc' | 'beijing'
  /** Longest period one download may ask for. */
  maxClipSeconds?: number
  /** The RTSP replay server's port (0: any free one). */
  rtspPort?: number
}

export interface NvrSim {
  url: string
  port: number
  rtspPort: number
  close(): Promise<void>
}

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false })
const BEIJING_MS = 8 * 3600_000

interface Counters {
  searches: number
  downloads: number
  completeDownloads: number
  replays: number
  completeReplays: number
  teardowns: number
}

export async function startNvrSim(options: NvrSimOptions): Promise<NvrSim> {
  const digest = new DigestGuard('nvr-sim', options.username, options.password)
  let fault: NvrFault = 'none'
  let slowMs = 3_000
  const counters: Counters = { searches: 0, downloads: 0, completeDownloads: 0, replays: 0, completeReplays: 0, teardowns: 0 }
  const held = () => ({ from: Date.now() - options.retainHours * 3600_000, to: Date.now() })
  let httpBase = ''
  let rtspPort = 0
  const onvif = onvifServices({
    username: options.username,
    password: options.password,
    recordings: ONVIF_RECORDINGS,
    held,
    empty: () => fault === 'no-recording',
    refuseAll: () => fault === 'unauthorized',
    get httpBase() {
      return httpBase
    },
    rtspBase: () => `rtsp://${options.host}:${rtspPort}`,
    counters
  })
  const shift = options.deviceTime === 'beijing' ? BEIJING_MS : 0
  const toDevice = (at: number) => new Date(Math.floor(at / 1000) * 1000 + shift).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const fromDevice = (text: string) => Date.parse(text) - shift
  const compact = (at: number) => toDevice(at).replace(/[-:]/g, '')
  const fromCompact = (text: string) => fromDevice(text.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://nvr')
    const body = await readBody(request)
    if (url.pathname.startsWith('/admin/')) return admin(url.pathname.slice(7), body, response)
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs))
    const soap = onvif(url.pathname, body)
    if (soap) {
      response.writeHead(soap.status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(soap.xml) }).end(soap.xml)
      return
    }
    if (fault === 'unauthorized' || !digest.verify(request.method ?? 'GET', request.headers.authorization)) {
      response.writeHead(401, { 'WWW-Authenticate': digest.challenge(), 'Content-Type': 'text/plain' }).end('Unauthorized')
      return
    }
    if (url.pathname === '/ISAPI/ContentMgmt/search' && request.method === 'POST') return search(body, response)
    if (url.pathname === '/ISAPI/ContentMgmt/download' && (request.method === 'GET' || request.method === 'POST')) return download(body, response)
    xml(response, 404, responseStatus(url.pathname, 4, 'Invalid Operation', 'notSupport'))
  }

  function search(body: string, response: ServerResponse): void {
    counters.searches++
    const description = (parser.parse(body) as Record<string, any>).CMSearchDescription
    const span = description?.timeSpanList?.timeSpan
    const track = String(description?.trackIDList?.trackID ?? '')
    const start = fromDevice(String(span?.startTime ?? ''))
    const end = fromDevice(String(span?.endTime ?? ''))
    if (!track || !Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
      return xml(response, 400, responseStatus('/ISAPI/ContentMgmt/search', 6, 'Invalid XML Content', 'badXmlContent'))
    }
    const now = Date.now()
    const held = { from: now - options.retainHours * 3600_000, to: now }
    const from = Math.max(start, held.from)
    const to = Math.min(end, held.to)
    const found = fault !== 'no-recording' && to > from
    const items = found
      ? `<matchList><searchMatchItem><sourceID>{0000000000-0000-0000-0000-000000000000}</sourceID><trackID>${track}</trackID>` +
        `<timeSpan><startTime>${toDevice(from)}</startTime><endTime>${toDevice(to)}</endTime></timeSpan>` +
        `<mediaSegmentDescriptor><contentType>video</contentType><codecType>H.264-BP</codecType>` +
        `<playbackURI>rtsp://${options.host}/Streaming/tracks/${track}/?starttime=${compact(from)}&amp;endtime=${compact(to)}&amp;name=ch${track}_${compact(from)}&amp;size=0</playbackURI>` +
        `</mediaSegmentDescriptor><metadataMatches><metadataDescriptor>recordType.meta.hikvision.com/timing</metadataDescriptor></metadataMatches></searchMatchItem></matchList>`
      : ''
    xml(
      response,
      200,
      `<CMSearchResult version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><searchID>${escape(String(description?.searchID ?? ''))}</searchID>` +
        `<responseStatus>true</responseStatus><responseStatusStrg>${found ? 'OK' : 'NO MATCHES'}</responseStatusStrg><numOfMatches>${found ? 1 : 0}</numOfMatches>${items}</CMSearchResult>`
    )
  }

  async function download(body: string, response: ServerResponse): Promise<void> {
    counters.downloads++
    const uri = String((parser.parse(body) as Record<string, any>).downloadRequest?.playbackURI ?? '')
    let start = NaN
    let end = NaN
    try {
      const params = new URL(uri).searchParams
      start = fromCompact(params.get('starttime') ?? '')
      end = fromCompact(params.get('endtime') ?? '')
    } catch {
      // answered below as bad content
    }
    const now = Date.now()
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start || end - start > (options.maxClipSeconds ?? 600) * 1000) {
      return xml(response, 400, responseStatus('/ISAPI/ContentMgmt/download', 6, 'Invalid Content', 'badParameters'))
    }
    if (fault === 'no-recording' || start < now - options.retainHours * 3600_000 || start > now) {
      return xml(response, 404, responseStatus('/ISAPI/ContentMgmt/download', 4, 'Invalid Operation', 'noRecord'))
    }
    const bytes = await recorded(start, Math.min(end, now))
    response.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': bytes.byteLength })
    if (fault === 'disconnect') {
      response.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), () => response.socket?.destroy())
      return
    }
    response.end(bytes, () => counters.completeDownloads++)
  }

  /** A period asked again (retries, the benchmark) is served as it was generated: a recorder reads, it does not encode. */
  const cache = new Map<string, Promise<Buffer>>()
  function recorded(start: number, end: number, form: 'mpegts' | 'h264' = 'mpegts'): Promise<Buffer> {
    const key = `${form}:${start}-${end}`
    let bytes = cache.get(key)
    if (!bytes) {
      bytes = form === 'h264' ? elementaryStream(start, end) : recordingBytes(start, end)
      cache.set(key, bytes)
      bytes.catch(() => cache.delete(key))
      if (cache.size > 8) cache.delete(cache.keys().next().value!)
    }
    return bytes
  }

  function admin(path: string, body: string, response: ServerResponse): void {
    if (path === 'fault') {
      const input = JSON.parse(body || '{}') as { mode?: NvrFault; slowMs?: number }
      fault = input.mode ?? 'none'
      slowMs = input.slowMs ?? slowMs
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ fault, ...counters }))
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' })
      response.end(String(error))
    })
  })
  let parameterSets: Promise<{ sps: Buffer; pps: Buffer }> | null = null
  const replay = await startReplayServer({
    host: options.host,
    port: options.rtspPort ?? 0,
    digest,
    fault: () => ({ mode: fault, slowMs }),
    recordings: ONVIF_RECORDINGS,
    held,
    stream: (start, end) => recorded(start, end, 'h264'),
    parameterSets: () =>
      (parameterSets ??= elementaryStream(0, 100).then((stream) => {
        const units = annexBUnits(stream)
        const find = (type: number) => units.find((unit) => (unit[0]! & 0x1f) === type)
        return { sps: find(7)!, pps: find(8)! }
      })),
    counters
  })
  rtspPort = replay.port
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve))
  const port = (server.address() as { port: number }).port
  httpBase = `http://${options.host}:${port}`
  return {
    url: httpBase,
    port,
    rtspPort,
    close: async () => {
      await replay.close()
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    }
  }
}

function xml(response: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`
  response.writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) }).end(text)
}

/** ISAPI's error answer (ResponseStatus) with its statusCode / subStatusCode. */
function responseStatus(url: string, code: number, text: string, sub: string): string {
  return `<ResponseStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><requestURL>${escape(url)}</requestURL><statusCode>${code}</statusCode><statusString>${text}</statusString><subStatusCode>${sub}</subStatusCode></ResponseStatus>`
}

function escape(value: string): string {
  return value.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!)
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength
    if (size > 64 * 1024) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
