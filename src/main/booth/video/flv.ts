/**
 * The smallest container that carries H.264 with a timestamp per picture, written as the replay arrives (Adobe FLV
 * v10.1 §E: file header, tags with 24+8-bit millisecond timestamps; AVC video tags hold an AVCDecoderConfigurationRecord
 * once, then length-prefixed NAL units). ffmpeg then copies it into the MP4 without re-encoding; the timestamps are the
 * RTP ones (90 kHz, from the first picture), so the MP4 lasts what the recording lasted.
 */

/** "FLV", version 1, video only, header size 9; then PreviousTagSize0 = 0. */
export function flvHeader(): Buffer {
  return Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00])
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1) from one SPS and one PPS, in an AVC sequence header tag. */
export function flvSequenceHeader(sps: Buffer, pps: Buffer): Buffer {
  const record = Buffer.concat([
    Buffer.from([0x01, sps[1] ?? 0x42, sps[2] ?? 0x00, sps[3] ?? 0x1e, 0xff, 0xe1]),
    u16(sps.byteLength),
    sps,
    Buffer.from([0x01]),
    u16(pps.byteLength),
    pps
  ])
  return videoTag(0, Buffer.concat([Buffer.from([0x17, 0x00, 0x00, 0x00, 0x00]), record]))
}

/** One picture: AVC NALU packet, key frame or inter frame, composition time 0 (the recorder's pictures in order). */
export function flvPicture(timestampMs: number, keyframe: boolean, nals: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from([keyframe ? 0x17 : 0x27, 0x01, 0x00, 0x00, 0x00])]
  for (const nal of nals) parts.push(u32(nal.byteLength), nal)
  return videoTag(timestampMs, Buffer.concat(parts))
}

function videoTag(timestampMs: number, body: Buffer): Buffer {
  const header = Buffer.alloc(11)
  header[0] = 9
  header.writeUIntBE(body.byteLength, 1, 3)
  header.writeUIntBE(timestampMs & 0xffffff, 4, 3)
  header[7] = (timestampMs >>> 24) & 0xff
  return Buffer.concat([header, body, u32(11 + body.byteLength)])
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2)
  buffer.writeUInt16BE(value)
  return buffer
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(value)
  return buffer
}
