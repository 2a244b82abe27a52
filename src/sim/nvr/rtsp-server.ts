/**
 * The recorder's RTSP replay server (ONVIF Streaming Specification §6, RFC 2326): DESCRIBE (SDP with the H.264 track,
 * sprop-parameter-sets and x-onvif-track), SETUP over TCP only (`RTP/AVP/TCP;interleaved`), PLAY of an absolute
 * `Range: clock=…` with `Require: onvif-replay`, paced in real time unless `Rate-Control: no`, each picture's first
 * packet carrying the replay extension, RTCP BYE after the last picture, GET_PARAMETER as keep-alive, TEARDOWN.
 * Every request needs Digest authentication. Faults: slow answers, 401, no recording (457), a cut half way through
 * the pictures, garbage instead of an answer, an interleaved frame cut in the middle.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { DigestGuard } from '../onvif/soap'
import { FRAME } from './recording'
import { annexBUnits, interleaved, payloads, pictures, rtcpBye, rtpPacket } from './rtp'

/** `realtime`: a recorder that ignores `Rate-Control: no` and the range's end, streaming in real time until TEARDOWN. */
export type ReplayFault = 'none' | 'slow' | 'unauthorized' | 'no-recording' | 'disconnect' | 'rtsp-garbage' | 'rtsp-truncated' | 'realtime'

export interface ReplayServerOptions {
  host: string
  port: number
  digest: DigestGuard
  fault(): { mode: ReplayFault; slowMs: number }
  /** The recording tokens the recorder holds. */
  recordings: readonly string[]
  /** The span the recorder still holds, Unix ms. */
  held(): { from: number; to: number }
  /** The period's H.264 elementary stream (Annex B, a delimiter before each picture). */
  stream(startMs: number, endMs: number): Promise<Buffer>
  /** SPS and PPS as the encoder writes them, for the SDP. */
  parameterSets(): Promise<{ sps: Buffer; pps: Buffer }>
  counters: { replays: number; completeReplays: number; teardowns: number }
}

interface Request {
  method: string
  url: string
  headers: Map<string, string>
}

const PAYLOAD_TYPE = 96
const SESSION_TIMEOUT_S = 60

export async function startReplayServer(options: ReplayServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    serve(socket, options)
  })
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

function serve(socket: Socket, options: ReplayServerOptions): void {
  let buffer = Buffer.alloc(0)
  const session = randomBytes(6).toString('hex')
  const ssrc = randomInt(1, 2 ** 32 - 1)
  let channels = [0, 1]
  let setUp = false
  let stopped = false
  let queue = Promise.resolve()
  socket.once('close', () => (stopped = true))

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    for (;;) {
      if (buffer[0] === 0x24) {
        // RTCP from the client (receiver reports): read past it.
        if (buffer.byteLength < 4 || buffer.byteLength < 4 + buffer.readUInt16BE(2)) return
        buffer = buffer.subarray(4 + buffer.readUInt16BE(2))
        continue
      }
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0) {
        if (buffer.byteLength > 16 * 1024) socket.destroy()
        return
      }
      const [line = '', ...lines] = buffer.subarray(0, end).toString('utf8').split('\r\n')
      const headers = new Map(lines.filter((text) => text.includes(':')).map((text) => [text.slice(0, text.indexOf(':')).trim().toLowerCase(), text.slice(text.indexOf(':') + 1).trim()]))
      const length = Number(headers.get('content-length') ?? 0)
      if (buffer.byteLength < end + 4 + length) return
      buffer = buffer.subarray(end + 4 + length)
      const [method = '', url = ''] = line.split(' ')
      const request = { method, url, headers }
      // Answered in order, one at a time, as the client reads them.
      queue = queue.then(() => handle(request)).catch(() => void socket.destroy())
    }
  })

  function reply(request: Request, status: number, reason: string, headers: Record<string, string | number> = {}, body = ''): void {
    const lines = [`RTSP/1.0 ${status} ${reason}`, `CSeq: ${request.headers.get('cseq') ?? '0'}`, 'Server: nvr-sim']
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
    if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
    if (!socket.destroyed) socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`)
  }

  async function handle(request: Request): Promise<void> {
    const fault = options.fault()
    if (fault.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.slowMs))
    if (fault.mode === 'unauthorized' || !options.digest.verify(request.method, request.headers.get('authorization'))) {
      return reply(request, 401, 'Unauthorized', { 'WWW-Authenticate': options.digest.challenge() })
    }
    const path = /^rtsp:\/\/[^/]+(\/[^?]*)/.exec(request.url)?.[1] ?? ''
    const token = /^\/replay\/([^/]+)/.exec(path)?.[1] ?? ''
    if (!options.recordings.includes(token)) return reply(request, 404, 'Not Found')
    const base = `rtsp://${options.host}:${(socket.address() as { port: number }).port}/replay/${token}/`
    const replayRequired = (request.headers.get('require') ?? '').split(',').some((option) => option.trim() === 'onvif-replay')
    switch (request.method) {
      case 'OPTIONS':
        return reply(request, 200, 'OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN' })
      case 'DESCRIBE': {
        if (fault.mode === 'rtsp-garbage') {
          socket.end(Buffer.from('\u0000\u00ffHELLO this is not RTSP\r\n\r\n\u0001\u0002garbage'))
          return
        }
        if (!replayRequired) return reply(request, 551, 'Option not supported', { Unsupported: 'onvif-replay' })
        const { sps, pps } = await options.parameterSets()
        const profileLevel = sps.subarray(1, 4).toString('hex')
        const sdp = [
          'v=0',
          `o=- ${session} 1 IN IP4 ${options.host}`,
          `s=Recording ${token}`,
          'c=IN IP4 0.0.0.0',
          't=0 0',
          `a=control:${base}`,
          `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
          'a=control:trackID=1',
          `a=rtpmap:${PAYLOAD_TYPE} H264/90000`,
          `a=fmtp:${PAYLOAD_TYPE} packetization-mode=1;profile-level-id=${profileLevel};sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}`,
          'a=x-onvif-track:VIDEO001',
          'a=recvonly',
          ''
        ].join('\r\n')
        return reply(request, 200, 'OK', { 'Content-Type': 'application/sdp', 'Content-Base': base }, sdp)
      }
      case 'SETUP': {
        if (!replayRequired) return reply(request, 551, 'Option not supported', { Unsupported: 'onvif-replay' })
        const transport = request.headers.get('transport') ?? ''
        const asked = /interleaved=(\d+)-(\d+)/.exec(transport)
        if (!transport.startsWith('RTP/AVP/TCP') || !asked) return reply(request, 461, 'Unsupported Transport')
        channels = [Number(asked[1]), Number(asked[2])]
        setUp = true
        return reply(request, 200, 'OK', { Transport: `RTP/AVP/TCP;unicast;interleaved=${channels[0]}-${channels[1]};ssrc=${ssrc.toString(16).toUpperCase()}`, Session: `${session};timeout=${SESSION_TIMEOUT_S}` })
      }
      case 'PLAY':
        return play(request, replayRequired, base)
      case 'GET_PARAMETER':
        return reply(request, 200, 'OK', { Session: session })
      case 'TEARDOWN':
        options.counters.teardowns++
        reply(request, 200, 'OK', { Session: session })
        stopped = true
        socket.end()
        return
      default:
        return reply(request, 405, 'Method Not Allowed', { Allow: 'OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN' })
    }
  }

  async function play(request: Request, replayRequired: boolean, base: string): Promise<void> {
    if (!replayRequired) return reply(request, 551, 'Option not supported', { Unsupported: 'onvif-replay' })
    if (!setUp || (request.headers.get('session') ?? '').split(';')[0] !== session) return reply(request, 454, 'Session Not Found')
    const range = /^clock=(\d{8}T\d{6}(?:\.\d+)?Z)-(\d{8}T\d{6}(?:\.\d+)?Z)$/.exec(request.headers.get('range') ?? '')
    if (!range) return reply(request, 400, 'Bad Request')
    const held = options.held()
    const start = Math.max(clockTime(range[1]!), held.from)
    const end = Math.min(clockTime(range[2]!), held.to)
    const fault = options.fault().mode
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start || fault === 'no-recording') return reply(request, 457, 'Invalid Range')
    options.counters.replays++
    const units = pictures(annexBUnits(await options.stream(start, fault === 'realtime' ? Math.min(end + 10_000, held.to) : end)))
    const rtpBase = randomInt(0, 2 ** 31)
    const sequence = randomInt(0, 2 ** 15)
    reply(request, 200, 'OK', { Session: session, Range: `clock=${clock(start)}-${clock(end)}`, 'RTP-Info': `url=${base}trackID=1;seq=${sequence};rtptime=${rtpBase}` })
    if (fault === 'rtsp-truncated') {
      socket.end(Buffer.concat([Buffer.from([0x24, channels[0]!, 0x03, 0xe8]), randomBytes(10)]))
      return
    }
    // Streamed beside the request queue: a keep-alive or TEARDOWN is answered while the pictures go out.
    void send(request, units, { start, rtpBase, sequence, fault }).catch(() => void socket.destroy())
  }

  async function send(request: Request, units: Buffer[][], from: { start: number; rtpBase: number; sequence: number; fault: ReplayFault }): Promise<void> {
    const { start, rtpBase, fault } = from
    let sequence = from.sequence
    const paced = fault === 'realtime' || (request.headers.get('rate-control') ?? 'yes').toLowerCase() !== 'no'
    const began = Date.now()
    const frameMs = 1000 / FRAME.fps
    for (let index = 0; index < units.length; index++) {
      if (stopped) return
      if (fault === 'disconnect' && index === Math.floor(units.length / 2)) {
        socket.destroy()
        return
      }
      if (paced) await new Promise((resolve) => setTimeout(resolve, Math.max(0, began + index * frameMs - Date.now())))
      const picture = units[index]!
      const keyframe = picture.some((unit) => (unit[0]! & 0x1f) === 5)
      const parts = payloads(picture)
      const timestamp = rtpBase + Math.round((index * 90_000) / FRAME.fps)
      for (let part = 0; part < parts.length; part++) {
        const packet = rtpPacket(
          { payloadType: PAYLOAD_TYPE, sequence: sequence++, timestamp, ssrc, marker: part === parts.length - 1, ...(part === 0 ? { replay: { atMs: start + index * frameMs, cleanPoint: keyframe } } : {}) },
          parts[part]!
        )
        if (!socket.write(interleaved(channels[0]!, packet))) await new Promise((resolve) => socket.once('drain', resolve))
      }
    }
    if (stopped) return
    socket.write(interleaved(channels[1]!, rtcpBye(ssrc)))
    options.counters.completeReplays++
  }
}

/** RFC 2326 §3.7 absolute time: yyyyMMddTHHmmss[.fraction]Z. */
function clockTime(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text)
  if (!match) return NaN
  return Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!) + Math.round(Number(match[7] ?? 0) * 1000)
}

function clock(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '')
}
