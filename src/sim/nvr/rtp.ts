/**
 * The recorder's side of the replay stream, written from RFC 3550 (RTP, RTCP BYE), RFC 6184 (H.264 payload:
 * single NAL unit packets, STAP-A, FU-A) and the ONVIF Streaming Specification §6.3 (the replay header extension 0xABAC
 * with the picture's NTP time and the clean-point bit).
 */

/** The NAL units of an Annex B byte stream (start codes 00 00 01 / 00 00 00 01 removed). */
export function annexBUnits(stream: Buffer): Buffer[] {
  const starts: { at: number; length: number }[] = []
  for (let i = 0; i + 2 < stream.byteLength; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      const four = i > 0 && stream[i - 1] === 0
      starts.push({ at: four ? i - 1 : i, length: four ? 4 : 3 })
      i += 2
    }
  }
  return starts.map((start, index) => stream.subarray(start.at + start.length, starts[index + 1]?.at ?? stream.byteLength)).filter((unit) => unit.byteLength > 0)
}

/** Pictures of a stream whose every access unit begins with a delimiter (NAL type 9), delimiters left out. */
export function pictures(units: Buffer[]): Buffer[][] {
  const result: Buffer[][] = []
  for (const unit of units) {
    if ((unit[0]! & 0x1f) === 9) result.push([])
    else if (result.length > 0) result[result.length - 1]!.push(unit)
  }
  return result.filter((picture) => picture.length > 0)
}

export const MAX_PAYLOAD = 1_400
const NTP_UNIX_OFFSET_S = 2_208_988_800

/**
 * The RTP payloads of one picture: SPS and PPS (when the picture starts with them) aggregated in one STAP-A, each
 * other NAL unit alone when it fits, otherwise in FU-A fragments.
 */
export function payloads(picture: Buffer[]): Buffer[] {
  const result: Buffer[] = []
  let units = picture
  const sets = units.filter((unit) => [7, 8].includes(unit[0]! & 0x1f))
  if (sets.length === 2) {
    const nri = Math.max(...sets.map((unit) => unit[0]! & 0x60))
    const parts: Buffer[] = [Buffer.from([nri | 24])]
    for (const unit of sets) {
      const size = Buffer.alloc(2)
      size.writeUInt16BE(unit.byteLength)
      parts.push(size, unit)
    }
    result.push(Buffer.concat(parts))
    units = units.filter((unit) => !sets.includes(unit))
  }
  for (const unit of units) {
    if (unit.byteLength <= MAX_PAYLOAD) {
      result.push(unit)
      continue
    }
    const header = unit[0]!
    const indicator = (header & 0xe0) | 28
    for (let offset = 1; offset < unit.byteLength; offset += MAX_PAYLOAD - 2) {
      const piece = unit.subarray(offset, Math.min(unit.byteLength, offset + MAX_PAYLOAD - 2))
      const first = offset === 1
      const last = offset + piece.byteLength >= unit.byteLength
      result.push(Buffer.concat([Buffer.from([indicator, (first ? 0x80 : 0) | (last ? 0x40 : 0) | (header & 0x1f)]), piece]))
    }
  }
  return result
}

export interface RtpHeader {
  payloadType: number
  sequence: number
  timestamp: number
  ssrc: number
  marker: boolean
  /** The picture's instant (Unix ms) for the ONVIF replay extension, and whether it is a clean point. */
  replay?: { atMs: number; cleanPoint: boolean }
}

/** An RTP packet: version 2, no padding or CSRCs, the replay extension when given. */
export function rtpPacket(header: RtpHeader, payload: Buffer): Buffer {
  const fixed = Buffer.alloc(12)
  fixed[0] = 0x80 | (header.replay ? 0x10 : 0)
  fixed[1] = (header.marker ? 0x80 : 0) | header.payloadType
  fixed.writeUInt16BE(header.sequence & 0xffff, 2)
  fixed.writeUInt32BE(header.timestamp >>> 0, 4)
  fixed.writeUInt32BE(header.ssrc >>> 0, 8)
  if (!header.replay) return Buffer.concat([fixed, payload])
  const extension = Buffer.alloc(16)
  extension.writeUInt16BE(0xabac, 0)
  extension.writeUInt16BE(3, 2)
  const seconds = Math.floor(header.replay.atMs / 1000)
  extension.writeUInt32BE(seconds + NTP_UNIX_OFFSET_S, 4)
  extension.writeUInt32BE(Math.floor(((header.replay.atMs - seconds * 1000) / 1000) * 2 ** 32), 8)
  extension[12] = header.replay.cleanPoint ? 0x80 : 0
  return Buffer.concat([fixed, extension, payload])
}

/** RTCP BYE (RFC 3550 §6.6) for one source. */
export function rtcpBye(ssrc: number): Buffer {
  const packet = Buffer.alloc(8)
  packet[0] = 0x81
  packet[1] = 203
  packet.writeUInt16BE(1, 2)
  packet.writeUInt32BE(ssrc >>> 0, 4)
  return packet
}

/** An interleaved frame on the RTSP connection (RFC 2326 §10.12). */
export function interleaved(channel: number, data: Buffer): Buffer {
  const header = Buffer.from([0x24, channel, 0, 0])
  header.writeUInt16BE(data.byteLength, 2)
  return Buffer.concat([header, data])
}
