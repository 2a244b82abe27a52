import { NvrError } from './nvr-http'

/** An RTSP response (RFC 2326 §7): status, headers by lower-case name, body. */
export interface RtspResponse {
  status: number
  reason: string
  headers: Map<string, string>
  body: Buffer
}

/** Something read from an RTSP connection that carries RTP over TCP: a response, or an interleaved frame (§10.12). */
export type RtspMessage = { kind: 'response'; response: RtspResponse } | { kind: 'frame'; channel: number; data: Buffer }

const MAX_HEADER_BYTES = 16 * 1024
const MAX_BODY_BYTES = 256 * 1024

/**
 * Splits the bytes of an RTSP connection into responses and `$`-framed interleaved data (`$`, channel, 16-bit length,
 * that many bytes). Anything else is not RTSP and fails the replay in words; a header or body beyond the bounds too.
 * `pending` says how many bytes wait for the rest of their message (a stream cut inside a frame leaves some).
 */
export class RtspReader {
  private buffer: Buffer = Buffer.alloc(0)

  get pending(): number {
    return this.buffer.byteLength
  }

  push(chunk: Buffer): RtspMessage[] {
    this.buffer = this.buffer.byteLength === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    const messages: RtspMessage[] = []
    for (;;) {
      const message = this.next()
      if (!message) return messages
      messages.push(message)
    }
  }

  private next(): RtspMessage | null {
    const buffer = this.buffer
    if (buffer.byteLength === 0) return null
    if (buffer[0] === 0x24) {
      if (buffer.byteLength < 4) return null
      const size = buffer.readUInt16BE(2)
      if (buffer.byteLength < 4 + size) return null
      this.buffer = buffer.subarray(4 + size)
      return { kind: 'frame', channel: buffer[1]!, data: buffer.subarray(4, 4 + size) }
    }
    const prefix = buffer.subarray(0, Math.min(5, buffer.byteLength)).toString('latin1')
    if (!'RTSP/'.startsWith(prefix)) throw new NvrError('录像机的回放应答不是 RTSP 格式（收到无法识别的数据），请检查录像机类型和回放地址', true)
    const headerEnd = buffer.indexOf('\r\n\r\n')
    if (headerEnd < 0) {
      if (buffer.byteLength > MAX_HEADER_BYTES) throw new NvrError('录像机的 RTSP 应答头过长，无法解析', true)
      return null
    }
    const [statusLine = '', ...lines] = buffer.subarray(0, headerEnd).toString('utf8').split('\r\n')
    const status = /^RTSP\/1\.\d (\d{3})(?: (.*))?$/.exec(statusLine)
    if (!status) throw new NvrError('录像机的 RTSP 应答状态行无法识别', true)
    const headers = new Map<string, string>()
    for (const line of lines) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const length = Number(headers.get('content-length') ?? 0)
    if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) throw new NvrError('录像机的 RTSP 应答长度无效或过大', true)
    const bodyStart = headerEnd + 4
    if (buffer.byteLength < bodyStart + length) return null
    this.buffer = buffer.subarray(bodyStart + length)
    return { kind: 'response', response: { status: Number(status[1]), reason: status[2] ?? '', headers, body: buffer.subarray(bodyStart, bodyStart + length) } }
  }
}

/** The H.264 track of a replay's SDP (RFC 4566; RFC 6184 §8.2 for the fmtp), with its control URL resolved. */
export interface SdpVideo {
  payloadType: number
  control: string
  sprop: string | null
  /** The session's aggregate control URL (for PLAY / TEARDOWN). */
  sessionControl: string
}

/** Finds the H.264 video track; a recording in another codec (e.g. H.265) is said so, in words. */
export function sdpVideo(sdp: string, base: string): SdpVideo {
  const lines = sdp.split(/\r?\n/)
  let sessionControl = base
  interface Media {
    kind: string
    formats: string[]
    attributes: string[]
  }
  let media: Media | null = null
  const medias: Media[] = []
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const [kind = '', , , ...formats] = line.slice(2).trim().split(/\s+/)
      media = { kind, formats, attributes: [] }
      medias.push(media)
    } else if (line.startsWith('a=')) {
      if (media) media.attributes.push(line.slice(2).trim())
      else if (line.startsWith('a=control:')) sessionControl = resolveControl(line.slice(10).trim(), base)
    }
  }
  const video = medias.find((candidate) => candidate.kind === 'video')
  if (!video) throw new NvrError('录像机的回放描述（SDP）中没有视频轨道', true)
  const rtpmap = video.attributes.map((attribute) => /^rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/i.exec(attribute)).find((match) => match && video.formats.includes(match[1]!))
  if (!rtpmap || rtpmap[2]!.toUpperCase() !== 'H264') {
    throw new NvrError(`录像机录像的视频编码为 ${rtpmap?.[2] ?? '未知'}，本机只能保存 H.264 录像：请把该通道的录像编码设为 H.264`, true)
  }
  const payloadType = Number(rtpmap[1])
  const fmtp = video.attributes.find((attribute) => attribute.startsWith(`fmtp:${payloadType} `))
  const sprop = fmtp ? (/sprop-parameter-sets=([^;\s]+)/.exec(fmtp)?.[1] ?? null) : null
  const control = video.attributes.find((attribute) => attribute.startsWith('control:'))?.slice(8).trim()
  return { payloadType, control: control ? resolveControl(control, sessionControl) : sessionControl, sprop, sessionControl }
}

/** A track's control URL: absolute as given, `*` the base itself, else appended to the base's path (before its query, as replay URIs with starttime=… carry one). */
function resolveControl(control: string, base: string): string {
  if (/^rtsp:\/\//i.test(control)) return control
  if (control === '*') return base
  const [path = '', query] = base.split('?', 2)
  return `${path}${path.endsWith('/') ? '' : '/'}${control}${query === undefined ? '' : `?${query}`}`
}

/** Whether a compound RTCP packet (RFC 3550 §6) holds a BYE (packet type 203): the sender has ended the stream. */
export function rtcpHasBye(data: Buffer): boolean {
  let offset = 0
  while (offset + 4 <= data.byteLength) {
    if (data[offset]! >> 6 !== 2) return false
    if (data[offset + 1] === 203) return true
    offset += (data.readUInt16BE(offset + 2) + 1) * 4
  }
  return false
}

/** An instant as RTSP's absolute `clock` range writes it (RFC 2326 §3.7): yyyyMMddTHHmmss.sssZ, UTC. */
export function rtspClock(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '')
}
