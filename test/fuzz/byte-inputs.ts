/**
 * Every parser of bytes from a device or a peer, for test/fuzz/byte-inputs.test.ts: `parse` the raw bytes the way
 * the adapter does, and say what a clear refusal is. A scanner must also never claim more bytes than it was given,
 * so a garbled line can only cost bytes, never block it.
 */
import { parsePullMessages, plateFromNotification } from '../../src/main/booth/devices/camera/notifications'
import { scanAnswer } from '../../src/main/booth/devices/display-led-0x64/led-display'
import { Command, encodeAck } from '../../src/main/booth/devices/display-led-0x64/protocol-0x64'
import { encodeBitsResponse, scanReply, type RtuRequest } from '../../src/main/booth/devices/modbus/rtu'
import { encodeWeightFrame, WeightFrameDecoder } from '../../src/main/booth/devices/scale-xk3190/xk3190'
import { jpegProblem } from '../../src/main/core/photos/jpeg'
import { scanBxAnswer } from '../../src/main/booth/devices/display-onbon-bx/onbon-display'
import { encodeFrame, PC_ADDRESS } from '../../src/main/booth/devices/display-onbon-bx/protocol-bx'
import { scanCameraAnswer } from '../../src/main/booth/devices/display-vzenith-rs485/vzenith-display'
import { encodePacket, PacketType } from '../../src/main/booth/devices/display-vzenith-rs485/protocol-vz'
import { H264Depacketizer, NvrError, parseRtp, RtspReader, sdpVideo } from '../../src/main/booth/video'
import type { ByteInputTarget } from './harness'

const readInputs: RtuRequest = { unit: 1, fn: 2, address: 0, value: 3 }

function withinBuffer(scan: { consumed: number }, bytes: Uint8Array): void {
  if (scan.consumed < 0 || scan.consumed > bytes.length) throw new Error(`consumed ${scan.consumed} of ${bytes.length} bytes`)
}

const pullMessages = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><tev:PullMessagesResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><wsnt:NotificationMessage><wsnt:Topic>tns1:RuleEngine/LicensePlateDetector/LicensePlate</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-11-25T01:02:03Z"><tt:Data><tt:SimpleItem Name="PlateNumber" Value="豫A12345"/><tt:SimpleItem Name="PlateColor" Value="yellow"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></tev:PullMessagesResponse></s:Body></s:Envelope>`

/** An RTSP answer, then RTP over the interleaved channel 0: STAP-A (SPS, PPS), an FU-A pair, and RTCP on channel 1. */
function replaySample(): Buffer {
  const frame = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([0x24, channel, data.byteLength >> 8, data.byteLength & 0xff]), data])
  const rtp = (sequence: number, marker: boolean, payload: number[]) => Buffer.from([0x80, (marker ? 0x80 : 0) | 96, 0, sequence, 0, 0, 0x23, 0x28, 0, 0, 0, 1, ...payload])
  return Buffer.concat([
    Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1a2b\r\n\r\n'),
    frame(0, rtp(1, false, [0x78, 0, 4, 0x67, 0x42, 0xc0, 0x1e, 0, 2, 0x68, 0xce])),
    frame(0, rtp(2, false, [0x7c, 0x85, 1, 2, 3])),
    frame(0, rtp(3, true, [0x7c, 0x45, 4, 5])),
    frame(1, Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 1]))
  ])
}

const smallJpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])

export const byteInputTargets: ByteInputTarget[] = [
  {
    name: 'camera photo (jpegProblem)',
    parse: (bytes) => {
      const problem = jpegProblem(bytes)
      if (problem !== null && (typeof problem !== 'string' || problem.length === 0)) throw new Error('a refusal must say why')
      return problem
    },
    isClearError: () => false,
    samples: [smallJpeg]
  },
  {
    name: 'barrier controller reply (Modbus RTU scanReply)',
    parse: (bytes) => {
      const scan = scanReply(bytes, readInputs)
      withinBuffer(scan, bytes)
      return scan.reply
    },
    isClearError: () => false,
    samples: [encodeBitsResponse(1, 2, [true, false, true])]
  },
  {
    name: 'LED display answer (0x64 scanAnswer)',
    parse: (bytes) => {
      const scan = scanAnswer(Buffer.from(bytes), 1, Command.showText)
      withinBuffer(scan, bytes)
      return scan.reply
    },
    isClearError: () => false,
    samples: [encodeAck(1, Command.showText)]
  },
  {
    name: 'weighbridge frames (XK3190 WeightFrameDecoder)',
    parse: (bytes) => {
      const weights = new WeightFrameDecoder().push(bytes)
      if (weights.some((kg) => !Number.isFinite(kg))) throw new Error('a weight must be a finite number')
      return weights
    },
    isClearError: () => false,
    samples: [encodeWeightFrame(32_460), encodeWeightFrame(1_234, 2)]
  },
  {
    name: 'ONVIF PullMessages SOAP (parsePullMessages)',
    parse: (bytes) => parsePullMessages(Buffer.from(bytes).toString('utf8')).map(plateFromNotification),
    isClearError: (error) => error instanceof Error && error.message.length > 0,
    samples: [Buffer.from(pullMessages)]
  },
  {
    name: 'Onbon BX controller answer (scanBxAnswer)',
    parse: (bytes) => {
      const scan = scanBxAnswer(Buffer.from(bytes), 1)
      withinBuffer(scan, bytes)
      return scan.reply
    },
    isClearError: () => false,
    samples: [encodeFrame(PC_ADDRESS, Buffer.from([0xa0, 0x00]), 1), encodeFrame(PC_ADDRESS, Buffer.from([0xa0, 0x01, 0x5a, 0xa5]), 1)]
  },
  {
    name: 'Vzenith camera answer (scanCameraAnswer)',
    parse: (bytes) => {
      const scan = scanCameraAnswer(Buffer.from(bytes), 'ttransmission')
      withinBuffer(scan, bytes)
      return scan.reply
    },
    isClearError: () => false,
    samples: [encodePacket(PacketType.data, 0, Buffer.from('{"cmd":"ttransmission","state_code":200}')), encodePacket(PacketType.heartbeat, 0, Buffer.alloc(0))]
  },
  {
    name: 'NVR RTSP replay stream (RtspReader, RTP, RFC 6184 depacketizer)',
    parse: (bytes) => {
      const reader = new RtspReader()
      const pictures: number[] = []
      const depacketizer = new H264Depacketizer((unit) => pictures.push(unit.nals.length))
      for (const message of reader.push(Buffer.from(bytes))) if (message.kind === 'frame' && message.channel === 0) depacketizer.push(parseRtp(message.data))
      depacketizer.flush()
      if (reader.pending > bytes.length) throw new Error(`pending ${reader.pending} of ${bytes.length} bytes`)
      return pictures
    },
    isClearError: (error) => error instanceof NvrError && error.message.length > 0,
    samples: [replaySample()]
  },
  {
    name: 'NVR replay SDP (sdpVideo)',
    parse: (bytes) => sdpVideo(Buffer.from(bytes).toString('utf8'), 'rtsp://nvr/replay/rec1'),
    isClearError: (error) => error instanceof NvrError && error.message.length > 0,
    samples: [Buffer.from('v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IA,aM4=\r\na=control:trackID=1\r\n')]
  }
]
