import { describe, expect, it } from 'vitest'
import { H264Depacketizer, NvrError, parseRtp, rtcpHasBye, RtspReader, rtspClock, sdpVideo, spanCovers, spropParameterSets, recordingSearchResults, type AccessUnit, type RtpPacket } from '../../src/main/booth/video'
import { soapBody } from '../../src/main/booth/devices/camera/xml'
import { flvHeader, flvPicture, flvSequenceHeader } from '../../src/main/booth/video/flv'
import { parseConfig } from '../../src/main/core/config'

/** An RTP packet as RFC 3550 §5.1 lays it out, optionally with the ONVIF replay extension (0xABAC, 3 words). */
function rtp(options: { sequence: number; timestamp: number; marker?: boolean; payload: Buffer; ntpSeconds?: number; csrcs?: number; padding?: number }): Buffer {
  const csrcs = options.csrcs ?? 0
  const fixed = Buffer.alloc(12 + csrcs * 4)
  fixed[0] = 0x80 | (options.ntpSeconds !== undefined ? 0x10 : 0) | (options.padding ? 0x20 : 0) | csrcs
  fixed[1] = (options.marker ? 0x80 : 0) | 96
  fixed.writeUInt16BE(options.sequence, 2)
  fixed.writeUInt32BE(options.timestamp >>> 0, 4)
  fixed.writeUInt32BE(0x1234, 8)
  const parts: Buffer[] = [fixed]
  if (options.ntpSeconds !== undefined) {
    const extension = Buffer.alloc(16)
    extension.writeUInt16BE(0xabac, 0)
    extension.writeUInt16BE(3, 2)
    extension.writeUInt32BE(options.ntpSeconds, 4)
    extension.writeUInt32BE(2 ** 31, 8) // half a second
    extension[12] = 0x80 | 0x20 // clean point, discontinuity
    parts.push(extension)
  }
  parts.push(options.payload)
  if (options.padding) parts.push(Buffer.from([...Array<number>(options.padding - 1).fill(0), options.padding]))
  return Buffer.concat(parts)
}

const SPS = Buffer.from([0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8])
const PPS = Buffer.from([0x68, 0xce, 0x3c, 0x80])
const IDR = Buffer.concat([Buffer.from([0x65]), Buffer.alloc(3000, 0xaa)])

/** STAP-A (RFC 6184 §5.7.1, figure 7): the STAP-A NAL header (type 24), then 16-bit size + NAL unit, repeated. */
function stapA(...nals: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0x78]), ...nals.flatMap((nal) => [Buffer.from([nal.byteLength >> 8, nal.byteLength & 0xff]), nal])])
}

/** FU-A (RFC 6184 §5.8, figure 14): FU indicator (F, NRI of the NAL, type 28), FU header (S, E, R, the NAL's type). */
function fuA(nal: Buffer, pieces: number): Buffer[] {
  const body = nal.subarray(1)
  const size = Math.ceil(body.byteLength / pieces)
  return Array.from({ length: pieces }, (_, index) =>
    Buffer.concat([Buffer.from([(nal[0]! & 0xe0) | 28, (index === 0 ? 0x80 : 0) | (index === pieces - 1 ? 0x40 : 0) | (nal[0]! & 0x1f)]), body.subarray(index * size, (index + 1) * size)])
  )
}

function depacketize(packets: Buffer[]): { units: AccessUnit[]; dropped: number } {
  const units: AccessUnit[] = []
  const depacketizer = new H264Depacketizer((unit) => units.push(unit))
  for (const packet of packets) depacketizer.push(parseRtp(packet))
  depacketizer.flush()
  return { units, dropped: depacketizer.dropped }
}

describe('RTP (RFC 3550) with the ONVIF replay extension', () => {
  it('reads the header, skips CSRCs and padding, and takes the absolute time and flags from extension 0xABAC', () => {
    const ntpSeconds = 3_973_000_000
    const packet: RtpPacket = parseRtp(rtp({ sequence: 7, timestamp: 90_000, marker: true, payload: Buffer.from([0x41, 1, 2]), ntpSeconds, csrcs: 2, padding: 4 }))
    expect(packet).toMatchObject({ sequence: 7, timestamp: 90_000, marker: true, payloadType: 96, ssrc: 0x1234 })
    expect([...packet.payload]).toEqual([0x41, 1, 2])
    expect(packet.replay).toEqual({ ntpMs: (ntpSeconds - 2_208_988_800) * 1000 + 500, cleanPoint: true, end: false, discontinuity: true })
  })

  it('refuses what is not RTP version 2 or shorter than its header, in words', () => {
    expect(() => parseRtp(Buffer.alloc(8))).toThrow(NvrError)
    expect(() => parseRtp(Buffer.from([0x40, ...Array<number>(15).fill(0)]))).toThrow(/版本 1/)
    const lying = rtp({ sequence: 1, timestamp: 0, payload: Buffer.from([0x41]), ntpSeconds: 1 }).subarray(0, 20)
    expect(() => parseRtp(lying)).toThrow(/扩展头超出包长/)
  })
})

describe('H.264 depacketizing (RFC 6184)', () => {
  it('STAP-A with SPS and PPS, then the IDR in three FU-A fragments: one key picture of three NAL units, headers restored', () => {
    const packets = [rtp({ sequence: 1, timestamp: 1000, payload: stapA(SPS, PPS) }), ...fuA(IDR, 3).map((payload, index) => rtp({ sequence: 2 + index, timestamp: 1000, marker: index === 2, payload }))]
    const { units, dropped } = depacketize(packets)
    expect(dropped).toBe(0)
    expect(units).toHaveLength(1)
    expect(units[0]!.keyframe).toBe(true)
    expect(units[0]!.nals.map((nal) => nal.toString('hex'))).toEqual([SPS, PPS, IDR].map((nal) => nal.toString('hex')))
  })

  it('single NAL unit packets without marker bits: pictures split where the RTP timestamp changes', () => {
    const { units } = depacketize([
      rtp({ sequence: 10, timestamp: 0, payload: Buffer.from([0x41, 0x9a, 1]) }),
      rtp({ sequence: 11, timestamp: 0, payload: Buffer.from([0x41, 0x9a, 2]) }),
      rtp({ sequence: 12, timestamp: 9000, payload: Buffer.from([0x41, 0x9a, 3]) })
    ])
    expect(units.map((unit) => [unit.timestamp, unit.nals.length, unit.keyframe])).toEqual([
      [0, 2, false],
      [9000, 1, false]
    ])
  })

  it('a lost FU-A fragment (sequence gap) drops that NAL unit instead of gluing the wrong bytes; a start without end too', () => {
    const pieces = fuA(IDR, 3)
    const { units, dropped } = depacketize([
      rtp({ sequence: 1, timestamp: 0, payload: pieces[0]! }),
      rtp({ sequence: 3, timestamp: 0, marker: true, payload: pieces[2]! }),
      rtp({ sequence: 4, timestamp: 9000, marker: true, payload: Buffer.from([0x41, 0x9a]) }),
      rtp({ sequence: 5, timestamp: 18000, payload: pieces[0]! })
    ])
    expect(dropped).toBe(3)
    expect(units.map((unit) => unit.timestamp)).toEqual([9000])
  })

  it('drops malformed aggregates and fragments, and the interleaved-mode types, counting each', () => {
    const { units, dropped } = depacketize([
      rtp({ sequence: 1, timestamp: 0, payload: Buffer.from([0x78, 0x00, 0x09, 0x67]) }), // STAP-A size past the end
      rtp({ sequence: 2, timestamp: 0, payload: Buffer.from([0x7c, 0xc5, 0x01]) }), // FU-A with S and E together
      rtp({ sequence: 3, timestamp: 0, payload: Buffer.from([0x79, 0x00, 0x01, 0x00, 0x01, 0x41]) }), // STAP-B
      rtp({ sequence: 4, timestamp: 0, payload: Buffer.from([0x7d, 0x85, 0x00, 0x01, 0x01]) }), // FU-B
      rtp({ sequence: 5, timestamp: 0, marker: true, payload: Buffer.from([0x41, 0x9a]) })
    ])
    expect(dropped).toBe(4)
    expect(units).toHaveLength(1)
  })

  it('unwraps the 32-bit RTP timestamp so pictures keep growing across the wrap', () => {
    const { units } = depacketize([
      rtp({ sequence: 1, timestamp: 0xffff_ff00, marker: true, payload: Buffer.from([0x41, 1]) }),
      rtp({ sequence: 2, timestamp: 0x0000_2228, marker: true, payload: Buffer.from([0x41, 2]) })
    ])
    expect(units[1]!.timestamp - units[0]!.timestamp).toBe(0x2328)
  })

  it('takes SPS and PPS from sprop-parameter-sets (base64, comma-separated)', () => {
    expect(spropParameterSets(`${SPS.toString('base64')},${PPS.toString('base64')}`)).toEqual({ sps: SPS, pps: PPS })
    expect(spropParameterSets('')).toEqual({ sps: null, pps: null })
  })
})

describe('RTSP over TCP with interleaved frames (RFC 2326 §10.12)', () => {
  const response = 'RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n'
  const frame = Buffer.from([0x24, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc])

  it('splits a response with its body and the frames after it, however the bytes arrive', () => {
    const whole = Buffer.concat([Buffer.from(response), frame, frame])
    const reader = new RtspReader()
    const messages = [...whole].flatMap((byte) => reader.push(Buffer.from([byte])))
    expect(messages.map((message) => message.kind)).toEqual(['response', 'frame', 'frame'])
    expect(messages[0]).toMatchObject({ kind: 'response', response: { status: 200, reason: 'OK' } })
    if (messages[0]!.kind === 'response') expect(messages[0]!.response.body.toString()).toBe('v=0\r\n')
    expect(reader.pending).toBe(0)
  })

  it('garbage is not RTSP (an NvrError in words); a frame cut short stays pending for the caller to name', () => {
    expect(() => new RtspReader().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/不是 RTSP 格式/)
    expect(() => new RtspReader().push(Buffer.from([0x00, 0xff, 0x13]))).toThrow(NvrError)
    expect(() => new RtspReader().push(Buffer.from(`RTSP/1.0 200 OK\r\nX: ${'a'.repeat(20_000)}`))).toThrow(/过长/)
    const cut = new RtspReader()
    expect(cut.push(Buffer.from([0x24, 0x00, 0x03, 0xe8, 1, 2, 3]))).toEqual([])
    expect(cut.pending).toBe(7)
  })

  it('finds the H.264 track of the SDP and resolves its control URL; another codec is refused by name', () => {
    const sdp = ['v=0', 'a=control:rtsp://nvr/replay/rec1/', 'm=audio 0 RTP/AVP 0', 'a=control:trackID=2', 'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IA,aM4=', 'a=control:trackID=1'].join('\r\n')
    expect(sdpVideo(sdp, 'rtsp://nvr/replay/rec1')).toEqual({ payloadType: 96, control: 'rtsp://nvr/replay/rec1/trackID=1', sprop: 'Z0IA,aM4=', sessionControl: 'rtsp://nvr/replay/rec1/' })
    expect(() => sdpVideo('v=0\r\nm=video 0 RTP/AVP 98\r\na=rtpmap:98 H265/90000\r\n', 'rtsp://nvr/x')).toThrow(/H265.*只能保存 H\.264/)
    const withQuery = sdpVideo('v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\n', 'rtsp://nvr/Streaming/tracks/101?starttime=20261204T080000Z')
    expect(withQuery.control).toBe('rtsp://nvr/Streaming/tracks/101/trackID=1?starttime=20261204T080000Z')
  })

  it('sees an RTCP BYE inside a compound packet; writes clock ranges as RFC 2326 absolute time', () => {
    const receiverReport = Buffer.from([0x80, 201, 0x00, 0x01, 0, 0, 0, 1])
    const bye = Buffer.from([0x81, 203, 0x00, 0x01, 0, 0, 0, 1])
    expect(rtcpHasBye(Buffer.concat([receiverReport, bye]))).toBe(true)
    expect(rtcpHasBye(receiverReport)).toBe(false)
    expect(rtspClock(Date.parse('2026-12-04T08:00:10.400Z'))).toBe('20261204T080010.400Z')
  })
})

describe('FLV for the remux', () => {
  it('writes the header, the AVC decoder configuration from SPS/PPS, and pictures with millisecond timestamps', () => {
    expect(flvHeader().subarray(0, 3).toString()).toBe('FLV')
    const sequence = flvSequenceHeader(SPS, PPS)
    expect(sequence[0]).toBe(9)
    expect([...sequence.subarray(16, 20)]).toEqual([0x01, 0x42, 0xc0, 0x1e])
    const picture = flvPicture(0x01_23_45_67, true, [IDR])
    expect([...picture.subarray(4, 8)]).toEqual([0x23, 0x45, 0x67, 0x01])
    expect(picture.readUInt32BE(picture.byteLength - 4)).toBe(picture.byteLength - 4)
  })
})

describe('ONVIF Recording Search results', () => {
  const answer = (state: string, info: string) =>
    soapBody(
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tse="http://www.onvif.org/ver10/search/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>` +
        `<tse:GetRecordingSearchResultsResponse><tse:ResultList><tt:SearchState>${state}</tt:SearchState>${info}</tse:ResultList></tse:GetRecordingSearchResultsResponse></s:Body></s:Envelope>`
    )
  const info = (token: string) =>
    `<tt:RecordingInformation><tt:RecordingToken>${token}</tt:RecordingToken><tt:EarliestRecording>2026-12-01T00:00:00Z</tt:EarliestRecording><tt:LatestRecording>2026-12-04T08:00:00Z</tt:LatestRecording></tt:RecordingInformation>`

  it('takes the span of the asked recording among several, and says whether it covers a period', () => {
    const result = recordingSearchResults(answer('Completed', info('other') + info('rec1')), 'rec1')
    expect(result).toEqual({ state: 'Completed', span: { earliest: Date.parse('2026-12-01T00:00:00Z'), latest: Date.parse('2026-12-04T08:00:00Z') } })
    expect(spanCovers(result.span!, Date.parse('2026-12-04T07:59:50Z'), Date.parse('2026-12-04T08:00:20Z'), Date.now())).toBe(true)
    expect(spanCovers(result.span!, Date.parse('2026-11-30T00:00:00Z'), Date.parse('2026-11-30T00:00:30Z'), Date.now())).toBe(false)
    expect(recordingSearchResults(answer('Searching', ''), 'rec1')).toEqual({ state: 'Searching', span: null })
  })
})

describe('an ONVIF channel in the config', () => {
  const config = (channel: string) =>
    parseConfig(
      {
        dataDir: '/tmp/x',
        platform: { baseUrl: 'http://127.0.0.1:1/ysgk', username: 'u' },
        enterprise: { code: '4110020001', name: 'x' },
        lanes: [{ id: 'in1', name: '1', gateCode: '01', direction: 'in', nvr: [{ kind: 'onvif-profile-g', url: 'http://192.168.1.30/onvif/device_service', channel }] }]
      },
      '/tmp'
    )

  it('takes a recording token as recorders name them (up to 64 characters), never one that could leave the clip folder', () => {
    expect(config('RecordMediaProfile000.Channel01').lanes[0]!.nvr[0]!.channel).toBe('RecordMediaProfile000.Channel01')
    expect(() => config('../etc')).toThrow()
    expect(() => config('x'.repeat(65))).toThrow()
  })
})
