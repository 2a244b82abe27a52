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
import type { ByteInputTarget } from './harness'

const readInputs: RtuRequest = { unit: 1, fn: 2, address: 0, value: 3 }

function withinBuffer(scan: { consumed: number }, bytes: Uint8Array): void {
  if (scan.consumed < 0 || scan.consumed > bytes.length) throw new Error(`consumed ${scan.consumed} of ${bytes.length} bytes`)
}

const pullMessages = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><tev:PullMessagesResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><wsnt:NotificationMessage><wsnt:Topic>tns1:RuleEngine/LicensePlateDetector/LicensePlate</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2026-11-25T01:02:03Z"><tt:Data><tt:SimpleItem Name="PlateNumber" Value="豫A12345"/><tt:SimpleItem Name="PlateColor" Value="yellow"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></tev:PullMessagesResponse></s:Body></s:Envelope>`

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
  }
]
