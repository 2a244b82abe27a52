import { NvrError } from './nvr-http'

/** What the ONVIF replay header extension (profile 0xABAC, ONVIF Streaming Specification §6.3) says of a packet. */
export interface ReplayExtension {
  /** The packet's absolute time (its NTP timestamp), Unix ms. */
  ntpMs: number
  /** C: the packet starts a clean point (a key frame). */
  cleanPoint: boolean
  /** E: the last packet before a gap in the recording. */
  end: boolean
  /** D: the first packet after a gap. */
  discontinuity: boolean
}

export interface RtpPacket {
  marker: boolean
  payloadType: number
  sequence: number
  timestamp: number
  ssrc: number
  payload: Buffer
  replay: ReplayExtension | null
}

const ONVIF_REPLAY_PROFILE = 0xabac
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800

/** One RTP packet (RFC 3550 §5.1): fixed header, CSRCs, header extension, padding. Bad input is an NvrError. */
export function parseRtp(data: Buffer): RtpPacket {
  if (data.byteLength < 12) throw new NvrError(`录像机的回放流中有损坏的 RTP 包（仅 ${data.byteLength} 字节）`, true)
  const first = data[0]!
  if (first >> 6 !== 2) throw new NvrError(`录像机的回放流中有损坏的 RTP 包（版本 ${first >> 6}）`, true)
  let offset = 12 + (first & 0x0f) * 4
  let end = data.byteLength
  if (first & 0x20) {
    const padding = data[end - 1]!
    if (padding === 0 || padding > end - offset) throw new NvrError('录像机的回放流中有损坏的 RTP 包（填充长度错误）', true)
    end -= padding
  }
  let replay: ReplayExtension | null = null
  if (first & 0x10) {
    if (offset + 4 > end) throw new NvrError('录像机的回放流中有损坏的 RTP 包（扩展头不完整）', true)
    const profile = data.readUInt16BE(offset)
    const words = data.readUInt16BE(offset + 2)
    const body = offset + 4
    offset = body + words * 4
    if (offset > end) throw new NvrError('录像机的回放流中有损坏的 RTP 包（扩展头超出包长）', true)
    if (profile === ONVIF_REPLAY_PROFILE && words >= 3) {
      const seconds = data.readUInt32BE(body)
      const fraction = data.readUInt32BE(body + 4)
      const flags = data[body + 8]!
      replay = {
        ntpMs: (seconds - NTP_UNIX_OFFSET_S) * 1000 + Math.round((fraction / 2 ** 32) * 1000),
        cleanPoint: (flags & 0x80) !== 0,
        end: (flags & 0x40) !== 0,
        discontinuity: (flags & 0x20) !== 0
      }
    }
  }
  if (offset > end) throw new NvrError('录像机的回放流中有损坏的 RTP 包（头部超出包长）', true)
  return {
    marker: (data[1]! & 0x80) !== 0,
    payloadType: data[1]! & 0x7f,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
    replay
  }
}

/** The NAL units of one picture (same RTP timestamp), in decoding order. */
export interface AccessUnit {
  /** RTP timestamp (90 kHz for H.264), unwrapped past 2^32 so it only grows. */
  timestamp: number
  /** The absolute time of the picture when the recorder sent the ONVIF replay extension, Unix ms. */
  ntpMs: number | null
  nals: Buffer[]
  /** Contains an IDR slice (NAL type 5). */
  keyframe: boolean
}

const STAP_A = 24
const FU_A = 28
const MAX_NAL_BYTES = 8 * 1024 * 1024
const MAX_NALS_PER_PICTURE = 1_000

/**
 * H.264 RTP depacketizing per RFC 6184, non-interleaved mode (packetization-mode 0 or 1): single NAL unit packets
 * (types 1–23), STAP-A aggregates (24) and FU-A fragments (28) back into NAL units, grouped into access units by RTP
 * timestamp (the marker bit ends one early). A fragment whose start was lost (a sequence gap) is dropped, never
 * glued to the wrong NAL unit; the interleaved-mode types (STAP-B, MTAP, FU-B) are counted and dropped.
 */
export class H264Depacketizer {
  /** Packets or fragments dropped: lost start, sequence gap, unsupported type. */
  dropped = 0
  private current: AccessUnit | null = null
  private fragment: Buffer[] | null = null
  private fragmentBytes = 0
  private lastSequence: number | null = null
  private lastRawTimestamp: number | null = null
  private unwrapped = 0

  constructor(private readonly emit: (unit: AccessUnit) => void) {}

  push(packet: RtpPacket): void {
    const gap = this.lastSequence !== null && packet.sequence !== ((this.lastSequence + 1) & 0xffff)
    this.lastSequence = packet.sequence
    if (gap && this.fragment) this.abandonFragment()
    const timestamp = this.unwrap(packet.timestamp)
    if (this.current && this.current.timestamp !== timestamp) this.finishUnit()
    if (!this.current) this.current = { timestamp, ntpMs: packet.replay?.ntpMs ?? null, nals: [], keyframe: false }
    else if (this.current.ntpMs === null && packet.replay) this.current.ntpMs = packet.replay.ntpMs
    this.payload(packet.payload)
    if (packet.marker) this.finishUnit()
  }

  /** Emits the picture still being gathered (the stream ended without a marker bit). */
  flush(): void {
    this.abandonFragment()
    this.finishUnit()
  }

  private payload(payload: Buffer): void {
    if (payload.byteLength === 0) return void this.dropped++
    const type = payload[0]! & 0x1f
    if (type >= 1 && type <= 23) return this.addNal(payload)
    if (type === STAP_A) return this.aggregate(payload)
    if (type === FU_A) return this.fragmentUnit(payload)
    this.dropped++
  }

  /** STAP-A: the STAP-A NAL header, then (16-bit size, NAL unit) pairs. A size past the end spoils the whole packet. */
  private aggregate(payload: Buffer): void {
    const nals: Buffer[] = []
    let offset = 1
    while (offset < payload.byteLength) {
      if (offset + 2 > payload.byteLength) return void this.dropped++
      const size = payload.readUInt16BE(offset)
      offset += 2
      if (size === 0 || offset + size > payload.byteLength) return void this.dropped++
      nals.push(payload.subarray(offset, offset + size))
      offset += size
    }
    for (const nal of nals) this.addNal(nal)
  }

  /** FU-A: FU indicator (F, NRI, type 28), FU header (S, E, R, the NAL type), then a piece of the NAL unit's payload. */
  private fragmentUnit(payload: Buffer): void {
    if (payload.byteLength < 3) return void this.dropped++
    const indicator = payload[0]!
    const header = payload[1]!
    const start = (header & 0x80) !== 0
    const end = (header & 0x40) !== 0
    if (start) {
      if (this.fragment) this.abandonFragment()
      if (end) return void this.dropped++
      const nalHeader = Buffer.from([(indicator & 0xe0) | (header & 0x1f)])
      this.fragment = [nalHeader]
      this.fragmentBytes = 1
    } else if (!this.fragment) {
      return void this.dropped++
    }
    const piece = payload.subarray(2)
    this.fragmentBytes += piece.byteLength
    if (this.fragmentBytes > MAX_NAL_BYTES) throw new NvrError('录像机的回放流中有过大的 H.264 单元（超过 8 MB），无法保存', true)
    this.fragment.push(piece)
    if (end) {
      const nal = Buffer.concat(this.fragment)
      this.fragment = null
      this.addNal(nal)
    }
  }

  private addNal(nal: Buffer): void {
    if (nal.byteLength > MAX_NAL_BYTES) throw new NvrError('录像机的回放流中有过大的 H.264 单元（超过 8 MB），无法保存', true)
    const unit = this.current!
    if (unit.nals.length >= MAX_NALS_PER_PICTURE) throw new NvrError('录像机的回放流中一帧的 H.264 单元过多，无法保存', true)
    unit.nals.push(nal)
    if ((nal[0]! & 0x1f) === 5) unit.keyframe = true
  }

  private abandonFragment(): void {
    if (!this.fragment) return
    this.fragment = null
    this.dropped++
  }

  private finishUnit(): void {
    const unit = this.current
    this.current = null
    if (this.fragment) this.abandonFragment()
    if (unit && unit.nals.length > 0) this.emit(unit)
  }

  private unwrap(raw: number): number {
    if (this.lastRawTimestamp !== null) {
      const step = (raw - this.lastRawTimestamp) | 0
      this.unwrapped += step
    } else {
      this.unwrapped = raw
    }
    this.lastRawTimestamp = raw
    return this.unwrapped
  }
}

/** The SPS and PPS NAL units an SDP `sprop-parameter-sets` carries (RFC 6184 §8.1: base64, comma-separated). */
export function spropParameterSets(value: string): { sps: Buffer | null; pps: Buffer | null } {
  let sps: Buffer | null = null
  let pps: Buffer | null = null
  for (const part of value.split(',')) {
    const nal = Buffer.from(part.trim(), 'base64')
    if (nal.byteLength === 0) continue
    const type = nal[0]! & 0x1f
    if (type === 7 && !sps) sps = nal
    if (type === 8 && !pps) pps = nal
  }
  return { sps, pps }
}
