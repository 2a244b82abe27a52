import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { XMLParser } from 'fast-xml-parser'
import type { DigestCredentials } from '../devices/camera/digest-fetch'
import { asNvrError, NvrError, nvrRequest, readText } from './nvr-http'

/** Where the recorder is and how it writes its times. */
export interface IsapiRecorder {
  url: string
  /** ISAPI track ID: channel × 100 + stream (101 = channel 1 main stream). */
  channel: string
  credentials: DigestCredentials
  deviceTime: 'utc' | 'beijing'
  timeoutMs: number
}

const BEIJING_OFFSET_MS = 8 * 3600_000

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'searchMatchItem' })

/** An instant as the recorder writes it: yyyy-MM-ddTHH:mm:ssZ, in UTC or (deviceTime beijing) Beijing time marked Z. */
export function isapiTime(at: number, deviceTime: 'utc' | 'beijing'): string {
  const shifted = new Date(Math.floor(at / 1000) * 1000 + (deviceTime === 'beijing' ? BEIJING_OFFSET_MS : 0))
  return shifted.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The compact form the playback URI carries: yyyyMMddTHHmmssZ. */
function uriTime(at: number, deviceTime: 'utc' | 'beijing'): string {
  return isapiTime(at, deviceTime).replace(/[-:]/g, '')
}

/** ISAPI ContentMgmt search request (CMSearchDescription) for one track and period. */
export function searchDescription(channel: string, start: number, end: number, deviceTime: 'utc' | 'beijing', searchId: string = randomUUID()): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CMSearchDescription version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<searchID>${searchId}</searchID>
<trackIDList><trackID>${channel}</trackID></trackIDList>
<timeSpanList><timeSpan><startTime>${isapiTime(start, deviceTime)}</startTime><endTime>${isapiTime(end, deviceTime)}</endTime></timeSpan></timeSpanList>
<maxResults>40</maxResults>
<searchResultPostion>0</searchResultPostion>
<metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor></metadataList>
</CMSearchDescription>`
}

/**
 * The playback URI of the recording that covers the period, narrowed to exactly the period (starttime/endtime), or
 * null when the recorder holds nothing for it (responseStatusStrg NO MATCHES, or an empty match list).
 */
export function playbackUriOf(searchResultXml: string, start: number, end: number, deviceTime: 'utc' | 'beijing'): string | null {
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(searchResultXml, true) as Record<string, unknown>
  } catch (error) {
    throw new NvrError(`录像机的检索应答不是有效的 XML（${(error as Error).message}）`, true)
  }
  const result = doc.CMSearchResult as Record<string, unknown> | undefined
  if (!result) throw new NvrError('录像机的检索应答格式不对（缺少 CMSearchResult）', true)
  const items = ((result.matchList as Record<string, unknown> | undefined)?.searchMatchItem ?? []) as Record<string, unknown>[]
  const uri = items
    .map((item) => (item.mediaSegmentDescriptor as Record<string, unknown> | undefined)?.playbackURI)
    .find((value): value is string => typeof value === 'string' && value.trim() !== '')
  if (!uri) return null
  const narrowed = new URL(uri.trim())
  narrowed.searchParams.set('starttime', uriTime(start, deviceTime))
  narrowed.searchParams.set('endtime', uriTime(end, deviceTime))
  return narrowed.toString()
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!)
}

/** POST /ISAPI/ContentMgmt/search: the playback URI for the period, or null when the recorder has no recording of it. */
export async function searchRecording(recorder: IsapiRecorder, start: number, end: number): Promise<string | null> {
  const response = await nvrRequest({
    url: new URL('/ISAPI/ContentMgmt/search', recorder.url),
    method: 'POST',
    body: searchDescription(recorder.channel, start, end, recorder.deviceTime),
    credentials: recorder.credentials,
    timeoutMs: recorder.timeoutMs
  })
  return playbackUriOf(await readText(response), start, end, recorder.deviceTime)
}

/**
 * GET /ISAPI/ContentMgmt/download with the playback URI in a downloadRequest body: the recording's bytes (MPEG-PS,
 * MPEG-TS or MP4 as the recorder stores it) streamed into `file`. A body shorter than its Content-Length, or a
 * connection dropped mid-way, is an error (the file is then incomplete and must not be used).
 */
export async function downloadRecording(recorder: IsapiRecorder, playbackUri: string, file: string): Promise<number> {
  const response = await nvrRequest({
    url: new URL('/ISAPI/ContentMgmt/download', recorder.url),
    method: 'GET',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<downloadRequest version="1.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><playbackURI>${escapeXml(playbackUri)}</playbackURI></downloadRequest>`,
    credentials: recorder.credentials,
    timeoutMs: recorder.timeoutMs
  })
  const expected = Number(response.headers['content-length'] ?? NaN)
  let received = 0
  response.on('data', (chunk: Buffer) => (received += chunk.byteLength))
  try {
    await pipeline(response, createWriteStream(file))
  } catch (error) {
    throw asNvrError(error)
  }
  if ((Number.isFinite(expected) && received !== expected) || response.complete === false) {
    throw new NvrError(`录像机中途断开了连接，录像未下载完整（收到 ${received} 字节）`, true)
  }
  if (received === 0) throw new NvrError('录像机返回了空的录像文件', true)
  return received
}
