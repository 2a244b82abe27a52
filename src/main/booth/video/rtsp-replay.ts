import { createWriteStream, type WriteStream } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { digestAuthorization, type DigestCredentials } from '../devices/camera/digest-fetch'
import { flvHeader, flvPicture, flvSequenceHeader } from './flv'
import { H264Depacketizer, parseRtp, spropParameterSets, type AccessUnit } from './h264-rtp'
import { asNvrError, NO_RECORDING, NvrError, UNAUTHORIZED } from './nvr-http'
import { rtcpHasBye, RtspReader, rtspClock, sdpVideo, type RtspResponse } from './rtsp'

export interface ReplayRequest {
  /** The replay URI GetReplayUri gave (rtsp://…). */
  uri: string
  credentials: DigestCredentials
  startAt: number
  endAt: number
  /** Per RTSP request, and the longest silence while the recording streams. */
  timeoutMs: number
  /** Where the pictures go, as FLV (timestamps from RTP), for ffmpeg to copy into the MP4. */
  file: string
}

export interface ReplayResult {
  pictures: number
  bytes: number
  /** From the first to the last picture's RTP timestamp, plus one picture. */
  durationMs: number
  /** RTP packets or fragments that could not be used (RFC 6184: lost start, gap, unsupported type). */
  dropped: number
}

const USER_AGENT = 'gate-booth'
/** A picture this close to the period's end counts as the end when the recorder closes without an RTCP BYE. */
const END_SLACK_MS = 1_000

/**
 * ONVIF replay of one period over RTSP 1.0 (ONVIF Streaming Specification §6, RFC 2326): DESCRIBE, SETUP and PLAY
 * with `Require: onvif-replay`, the period as `Range: clock=start-end`, `Rate-Control: no` (as fast as the recorder
 * can send), RTP and RTCP interleaved on the RTSP TCP connection, HTTP-style Digest (or Basic) when the recorder asks.
 * The H.264 RTP payload is depacketized (RFC 6184) and written as FLV with the RTP timestamps; the replay stops at the
 * period's end (the ONVIF replay extension's absolute time, else the RTP clock), at an RTCP BYE, and then TEARDOWN.
 * Everything is bounded: each answer by `timeoutMs`, silence while streaming too, the whole replay by twice the period
 * plus three timeouts; a disconnect before the end is an NvrError (retried), never a short clip kept as complete.
 */
export async function replayToFile(request: ReplayRequest): Promise<ReplayResult> {
  const client = new ReplayClient(request)
  try {
    return await client.run()
  } finally {
    client.close()
  }
}

interface Waiting {
  cseq: number
  resolve(response: RtspResponse): void
  reject(error: Error): void
}

class ReplayClient {
  private readonly url: URL
  private readonly reader = new RtspReader()
  private socket: Socket | null = null
  private out: WriteStream | null = null
  private cseq = 0
  private challenge: string | null = null
  private nonceCount = 0
  private session: string | null = null
  private waiting: Waiting[] = []
  private failure: NvrError | null = null
  private streaming: { resolve(): void; reject(error: Error): void } | null = null
  private rtpChannel = 0
  private rtcpChannel = 1
  private readonly depacketizer: H264Depacketizer
  private parameterSets: { sps: Buffer | null; pps: Buffer | null } = { sps: null, pps: null }
  private firstTimestamp: number | null = null
  private lastTimestamp = 0
  private lastPictureAt: number | null = null
  private pictures = 0
  private bytes = 0
  private ended = false
  private waitingForDisk = false
  private readonly timers: NodeJS.Timeout[] = []

  constructor(private readonly request: ReplayRequest) {
    try {
      this.url = new URL(request.uri)
    } catch {
      throw new NvrError('录像机给出的回放地址无效', true)
    }
    if (this.url.protocol !== 'rtsp:') throw new NvrError('录像机给出的回放地址不是 rtsp 地址', true)
    this.depacketizer = new H264Depacketizer((unit) => this.picture(unit))
  }

  async run(): Promise<ReplayResult> {
    const { startAt, endAt, timeoutMs } = this.request
    const deadline = setTimeout(() => this.fail(new NvrError('录像机回放超时（超过时段长度的两倍仍未取完），稍后再试', true)), (endAt - startAt) * 2 + timeoutMs * 3)
    this.timers.push(deadline)
    await this.connect()
    const target = this.requestUrl()
    const described = await this.send('DESCRIBE', target, { Accept: 'application/sdp', Require: 'onvif-replay' })
    expectOk(described, 'DESCRIBE')
    const base = described.headers.get('content-base') ?? described.headers.get('content-location') ?? target
    const video = sdpVideo(described.body.toString('utf8'), base)
    if (video.sprop) this.parameterSets = spropParameterSets(video.sprop)
    const setup = await this.send('SETUP', video.control, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Require: 'onvif-replay' })
    expectOk(setup, 'SETUP')
    const sessionHeader = setup.headers.get('session') ?? ''
    this.session = sessionHeader.split(';')[0]!.trim() || null
    if (!this.session) throw new NvrError('录像机的 SETUP 应答中没有会话标识（Session）', true)
    const channels = /interleaved=(\d+)-(\d+)/.exec(setup.headers.get('transport') ?? '')
    if (channels) [this.rtpChannel, this.rtcpChannel] = [Number(channels[1]), Number(channels[2])]
    this.keepAlive(sessionHeader, video.sessionControl)
    this.out = createWriteStream(this.request.file)
    this.out.on('error', (error) => this.fail(new NvrError(`录像写入磁盘失败（${error.message}）`, false)))
    this.out.write(flvHeader())
    const streamed = new Promise<void>((resolve, reject) => (this.streaming = { resolve, reject }))
    // Awaited below once PLAY is answered; a failure before that is thrown by the PLAY itself.
    streamed.catch(() => undefined)
    const played = await this.send('PLAY', video.sessionControl, { Range: `clock=${rtspClock(startAt)}-${rtspClock(endAt)}`, 'Rate-Control': 'no', Require: 'onvif-replay' })
    if (played.status === 457 || played.status === 404) throw new NoReplay()
    expectOk(played, 'PLAY')
    await streamed
    await this.teardown(video.sessionControl)
    await this.finishFile()
    if (this.pictures === 0) throw new NoReplay()
    return { pictures: this.pictures, bytes: this.bytes, durationMs: this.durationMs(), dropped: this.depacketizer.dropped }
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer)
    this.socket?.destroy()
    if (this.out && !this.out.closed) this.out.destroy()
  }

  private requestUrl(): string {
    const clean = new URL(this.url.toString())
    clean.username = ''
    clean.password = ''
    return clean.toString()
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.url.hostname.replace(/^\[|\]$/g, ''), port: Number(this.url.port || 554) })
      this.socket = socket
      socket.setNoDelay(true)
      socket.setTimeout(this.request.timeoutMs, () => this.fail(new NvrError('录像机响应超时', true)))
      socket.once('connect', () => resolve())
      socket.once('error', (error) => {
        reject(asNvrError(error))
        this.fail(asNvrError(error))
      })
      socket.on('data', (chunk: Buffer) => this.data(chunk))
      socket.once('close', () => {
        reject(this.failure ?? new NvrError('录像机关闭了连接', true))
        this.closed()
      })
    })
  }

  private data(chunk: Buffer): void {
    if (this.failure) return
    try {
      for (const message of this.reader.push(chunk)) {
        if (message.kind === 'response') this.response(message.response)
        else if (message.channel === this.rtpChannel) this.rtp(message.data)
        else if (message.channel === this.rtcpChannel && rtcpHasBye(message.data)) this.end()
      }
    } catch (error) {
      this.fail(error instanceof NvrError ? error : new NvrError(`录像机的回放流无法解析（${(error as Error).message}）`, true))
    }
  }

  private response(response: RtspResponse): void {
    const cseq = Number(response.headers.get('cseq'))
    const index = this.waiting.findIndex((waiting) => waiting.cseq === cseq)
    if (index < 0) return
    const [waiting] = this.waiting.splice(index, 1)
    waiting!.resolve(response)
  }

  private rtp(data: Buffer): void {
    if (this.ended) return
    this.depacketizer.push(parseRtp(data))
  }

  private picture(unit: AccessUnit): void {
    if (this.ended) return
    const { startAt, endAt } = this.request
    if (this.firstTimestamp === null) {
      // A replay starts at a key frame; pictures before the first one cannot be decoded and are not kept.
      if (!unit.keyframe) return
      const sps = this.parameterSets.sps ?? unit.nals.find((nal) => (nal[0]! & 0x1f) === 7) ?? null
      const pps = this.parameterSets.pps ?? unit.nals.find((nal) => (nal[0]! & 0x1f) === 8) ?? null
      if (!sps || !pps) throw new NvrError('录像机的回放流缺少 H.264 参数集（SPS/PPS），无法保存', true)
      this.write(flvSequenceHeader(sps, pps))
      this.firstTimestamp = unit.timestamp
    }
    const elapsedMs = Math.round((unit.timestamp - this.firstTimestamp) / 90)
    const at = unit.ntpMs ?? startAt + elapsedMs
    if (at >= endAt) return this.end()
    if (elapsedMs < 0) return
    this.lastTimestamp = unit.timestamp
    this.lastPictureAt = at
    this.pictures++
    this.write(flvPicture(elapsedMs, unit.keyframe, unit.nals))
  }

  private write(bytes: Buffer): void {
    this.bytes += bytes.byteLength
    if (!this.out!.write(bytes) && !this.waitingForDisk) {
      // The rest of this chunk is still written (buffered); the socket waits until the file has caught up.
      this.waitingForDisk = true
      this.socket?.pause()
      this.out!.once('drain', () => {
        this.waitingForDisk = false
        this.socket?.resume()
      })
    }
  }

  private end(): void {
    if (this.ended) return
    this.ended = true
    this.streaming?.resolve()
  }

  private closed(): void {
    if (this.ended || this.failure) return
    if (this.streaming && this.reader.pending === 0) {
      this.depacketizer.flush()
      // Some recorders close at the end of the range instead of sending RTCP BYE: complete if the period was reached.
      if (this.lastPictureAt !== null && this.lastPictureAt >= this.request.endAt - END_SLACK_MS) return this.end()
    }
    const received = this.lastPictureAt === null ? '' : `，已收到 ${Math.max(0, Math.round((this.lastPictureAt - this.request.startAt) / 1000))} 秒`
    this.fail(
      this.reader.pending > 0
        ? new NvrError(`录像机的回放流在数据包中间断开（RTSP 交织帧不完整${received}），录像未取完整`, true)
        : new NvrError(`录像机中途断开了回放连接，录像未取完整${received}`, true)
    )
  }

  private fail(error: NvrError): void {
    if (this.failure) return
    this.failure = error
    for (const waiting of this.waiting.splice(0)) waiting.reject(error)
    this.streaming?.reject(error)
    this.socket?.destroy()
  }

  private async send(method: string, url: string, headers: Record<string, string>): Promise<RtspResponse> {
    let response = await this.exchange(method, url, headers)
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate')
      if (!challenge || this.challenge === challenge) throw new NvrError(UNAUTHORIZED, true)
      this.challenge = challenge
      this.nonceCount = 0
      response = await this.exchange(method, url, headers)
      if (response.status === 401) throw new NvrError(UNAUTHORIZED, true)
    }
    return response
  }

  private exchange(method: string, url: string, headers: Record<string, string>): Promise<RtspResponse> {
    if (this.failure) return Promise.reject(this.failure)
    const cseq = ++this.cseq
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${cseq}`, `User-Agent: ${USER_AGENT}`]
    if (this.session) lines.push(`Session: ${this.session}`)
    if (this.challenge) lines.push(`Authorization: ${this.authorization(method, url)}`)
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
    return new Promise<RtspResponse>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new NvrError('录像机响应超时', true)), this.request.timeoutMs)
      this.timers.push(timer)
      this.waiting.push({
        cseq,
        resolve: (response) => {
          clearTimeout(timer)
          resolve(response)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      })
      this.socket!.write(`${lines.join('\r\n')}\r\n\r\n`)
    })
  }

  private authorization(method: string, url: string): string {
    const challenge = this.challenge!
    if (!/^digest /i.test(challenge)) return `Basic ${Buffer.from(`${this.request.credentials.username}:${this.request.credentials.password}`).toString('base64')}`
    this.nonceCount += 1
    return digestAuthorization(challenge, method, new URL(url), this.request.credentials, this.nonceCount, url)
  }

  /** A recorder that ignores Rate-Control: no streams in real time: the session is kept alive meanwhile (§12.37 timeout). */
  private keepAlive(sessionHeader: string, url: string): void {
    const seconds = Number(/timeout=(\d+)/.exec(sessionHeader)?.[1] ?? 60)
    const timer = setInterval(() => void this.send('GET_PARAMETER', url, {}).catch(() => undefined), Math.max(5, seconds / 2) * 1000)
    timer.unref()
    this.timers.push(timer)
  }

  private async teardown(url: string): Promise<void> {
    try {
      await this.send('TEARDOWN', url, {})
    } catch {
      // The clip is complete; a recorder that does not answer the TEARDOWN only loses its session sooner.
    }
  }

  private finishFile(): Promise<void> {
    const out = this.out!
    return new Promise((resolve, reject) => {
      out.once('error', reject)
      out.end(() => resolve())
    })
  }

  private durationMs(): number {
    const frames = this.pictures > 1 ? (this.lastTimestamp - this.firstTimestamp!) / 90 / (this.pictures - 1) : 0
    return Math.round((this.lastTimestamp - this.firstTimestamp!) / 90 + frames)
  }
}

/** The recorder answered the replay with nothing for the period. */
export class NoReplay extends NvrError {
  constructor() {
    super(NO_RECORDING, false)
  }
}

function expectOk(response: RtspResponse, method: string): void {
  if (response.status >= 200 && response.status < 300) return
  if (response.status === 403) throw new NvrError('录像机账号无回放权限（RTSP 403）', true)
  if (response.status === 454) throw new NvrError('录像机的回放会话已失效（RTSP 454），稍后再试', true)
  if (response.status === 461 || response.status === 551) throw new NvrError(`录像机不支持 ONVIF 回放所需的 TCP 传输或回放扩展（RTSP ${response.status}）`, true)
  throw new NvrError(`录像机拒绝了回放请求（${method}：RTSP ${response.status}）`, true)
}
