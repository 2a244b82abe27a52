/**
 * Both sides of each serial protocol pinned to the same published frames: the booth's codec (src/main/booth/devices)
 * and the simulator's own (src/sim/wire, written separately from the protocol documents). A simulator that only
 * agreed with the booth because it shared its code would prove nothing; here each side must match the document.
 */
import { describe, expect, it } from 'vitest'
import { crc16Modbus, crcMatches } from '../../src/main/booth/devices/crc16'
import { decodeCommand, encodeAck, encodeShowText, PacketDecoder } from '../../src/main/booth/devices/display-led-0x64/protocol-0x64'
import { scanAnswer } from '../../src/main/booth/devices/display-led-0x64/led-display'
import { COIL_ON, encodeBitsResponse, encodeException, encodeRequest, FunctionCode, scanReply } from '../../src/main/booth/devices/modbus/rtu'
import { encodeWeightFrame, WeightFrameDecoder } from '../../src/main/booth/devices/scale-xk3190/xk3190'
import { crc16, hasGoodCrc } from '../../src/sim/wire/crc16'
import { ledAck, ledConnectAnswer, Led0x64Reader, readLedCommand } from '../../src/sim/wire/led-0x64'
import { bitsReply, exceptionReply, SlaveRequestReader, WRITE_SINGLE_COIL } from '../../src/sim/wire/modbus-slave'
import { weightFrame } from '../../src/sim/wire/xk3190'
import { crcArc } from '../../src/main/booth/devices/crc16'
import { encodeDynamicAreas, encodeFrame, encodeStatusQuery, readAnswer, scanFrame } from '../../src/main/booth/devices/display-onbon-bx/protocol-bx'
import { scanBxAnswer } from '../../src/main/booth/devices/display-onbon-bx/onbon-display'
import { DisplayTextError } from '../../src/main/booth/devices/display-led-0x64/protocol-0x64'
import { encodeHeartbeat, encodeSerialSend, scanPacket } from '../../src/main/booth/devices/display-vzenith-rs485/protocol-vz'
import { scanCameraAnswer } from '../../src/main/booth/devices/display-vzenith-rs485/vzenith-display'
import { vzJson, vzPacket, VzReader } from '../../src/sim/wire/vzenith'
import { OnbonReader, onbonFailed, onbonFrame, ONBON_OK, readDynamicAreas } from '../../src/sim/wire/onbon-bx'

const bytes = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')
/** The PDU of an RTU frame: without the unit id and the CRC. */
const pdu = (frame: Uint8Array) => Buffer.from(frame.subarray(1, -2))
/** `count` bits, LSB first, from the bytes of a published reply. */
const bitsOf = (packed: Buffer, count: number) => Array.from({ length: count }, (_, i) => ((packed[i >> 3]! >> (i & 7)) & 1) === 1)

describe('Modbus RTU: the booth (master) and the barrier simulator (slave) against the Modbus documents', () => {
  it('both CRCs give the serial-line guide’s example (01 03 00 00 00 02 → C4 0B)', () => {
    const frame = bytes('01 03 00 00 00 02 C4 0B')
    expect(crc16Modbus(frame, 0, 6)).toBe(0x0bc4)
    expect(crc16(frame.subarray(0, 6), 0xffff)).toBe(0x0bc4)
    expect(crcMatches(frame)).toBe(true)
    expect(hasGoodCrc(frame, 0xffff)).toBe(true)
  })

  it('write single coil 0 ON is 01 05 00 00 FF 00 8C 3A on both sides, and the slave answers with its echo', () => {
    const published = bytes('01 05 00 00 FF 00 8C 3A')
    expect(encodeRequest({ unit: 1, fn: FunctionCode.writeSingleCoil, address: 0, value: COIL_ON })).toEqual(published)
    const [request] = new SlaveRequestReader(1).push(Buffer.concat([bytes('FF 13'), published]))
    expect(request).toMatchObject({ unit: 1, fn: WRITE_SINGLE_COIL, address: 0, value: 0xff00 })
    expect(scanReply(request!.raw, { unit: 1, fn: FunctionCode.writeSingleCoil, address: 0, value: COIL_ON }).reply).toEqual({ kind: 'echo' })
  })

  it('read coils reply: the application protocol’s example PDU 01 03 CD 6B 05 (19 coils) from both encoders', () => {
    const bits = bitsOf(bytes('CD 6B 05'), 19)
    expect(pdu(bitsReply(1, 0x01, bits))).toEqual(bytes('01 03 CD 6B 05'))
    expect(encodeBitsResponse(1, FunctionCode.readCoils, bits)).toEqual(bitsReply(1, 0x01, bits))
  })

  it('read discrete inputs reply: the example PDU 02 03 AC DB 35 (22 inputs), decoded by the booth bit for bit', () => {
    const bits = bitsOf(bytes('AC DB 35'), 22)
    const frame = bitsReply(1, 0x02, bits)
    expect(pdu(frame)).toEqual(bytes('02 03 AC DB 35'))
    expect(scanReply(frame, { unit: 1, fn: FunctionCode.readDiscreteInputs, address: 196, value: 22 }).reply).toEqual({ kind: 'bits', bits })
  })

  it('exception reply: the example PDU 81 02 (illegal data address) from both, read by the booth', () => {
    expect(pdu(exceptionReply(1, 0x01, 0x02))).toEqual(bytes('81 02'))
    expect(encodeException(1, FunctionCode.readCoils, 2)).toEqual(exceptionReply(1, 0x01, 0x02))
    expect(scanReply(exceptionReply(1, 0x05, 0x02), { unit: 1, fn: FunctionCode.writeSingleCoil, address: 0, value: COIL_ON }).reply).toMatchObject({ kind: 'exception', code: 2 })
  })
})

describe('LED 0x64: the booth and the display simulator against 《显示屏通信协议》V2.0’s worked examples', () => {
  const showText = bytes('00 64 FF FF 62 1B 00 00 01 00 05 00 01 03 00 FF 00 00 00 00 00 00 00 08 00 BB B6 D3 AD B9 E2 C1 D9 58 96')

  it('0x62 “欢迎光临” line 1 red: the booth encodes it, both sides read it the same', () => {
    expect(encodeShowText(0, 0, 'red', '欢迎光临')).toEqual(showText)
    const [packet] = new Led0x64Reader(0).push(Buffer.concat([bytes('00 64 FF'), showText]))
    expect(readLedCommand(packet!)).toEqual({ kind: 'text', line: 0, colour: 'red', rgba: [255, 0, 0, 0], text: '欢迎光临' })
    expect(decodeCommand(new PacketDecoder(0).push(showText)[0]!)).toEqual(readLedCommand(packet!))
  })

  it('0x30 voice “欢迎光临,请入场停车” as the document gives it is read by the simulator', () => {
    const voice = bytes('00 64 FF FF 30 14 01 BB B6 D3 AD B9 E2 C1 D9 2C C7 EB C8 EB B3 A1 CD A3 B3 B5 A9 36')
    const [packet] = new Led0x64Reader(0).push(voice)
    expect(readLedCommand(packet!)).toEqual({ kind: 'voice', option: 1, text: '欢迎光临,请入场停车' })
  })

  it('the ACK 00 64 FF FF 62 01 00 97 6A and the 0x00 answer are the same from both, and the booth accepts them', () => {
    const ack = bytes('00 64 FF FF 62 01 00 97 6A')
    expect(ledAck(0, 0x62, 0)).toEqual(ack)
    expect(encodeAck(0, 0x62)).toEqual(ack)
    expect(scanAnswer(ack, 0, 0x62).reply).toEqual(Buffer.from([0]))
    const connectAnswer = bytes('00 64 FF FF 00 0A 00 31 30 32 34 36 30 31 30 30 9F EF')
    expect(ledConnectAnswer(0, true, [...bytes('31 30 32 34 36 30 31 30 30')])).toEqual(connectAnswer)
    expect(scanAnswer(connectAnswer, 0, 0x00).reply).toEqual(connectAnswer.subarray(6, 16))
  })
})

describe('XK3190-A9 tF: the indicator simulator and the booth against the documented frame', () => {
  it('1560 kg is 02 2B 30 30 31 35 36 30 30 31 39 03 from both, and the booth reads the simulator’s frames', () => {
    const published = bytes('02 2B 30 30 31 35 36 30 30 31 39 03')
    expect(weightFrame(1560)).toEqual(published)
    expect(encodeWeightFrame(1560)).toEqual(published)
    expect(new WeightFrameDecoder().push(Buffer.concat([weightFrame(1560), weightFrame(-20), weightFrame(12.5, 1)]))).toEqual([1560, -20, 12.5])
  })
})

describe('Onbon BX-5/6: the booth and the controller simulator against the protocol’s example frames', () => {
  // The status query and the clear-screen command as Onbon's protocol examples write them for screen 1.
  const statusQuery = bytes('A5 A5 A5 A5 A5 A5 A5 A5 01 00 00 80 00 00 00 00 00 00 FE 02 05 00 A2 00 01 00 00 68 F8 5A')
  const clearScreen = bytes('A5 A5 A5 A5 A5 A5 A5 A5 01 00 00 80 00 00 00 00 00 00 FE 02 05 00 A3 10 01 00 00 51 F8 5A')

  it('both CRC-16/ARC implementations give the examples’ CRCs (68 F8, 51 F8)', () => {
    for (const frame of [statusQuery, clearScreen]) {
      const body = frame.subarray(8, -3)
      expect(crcArc(body)).toBe(frame.readUInt16LE(frame.length - 3))
      expect(crc16(body, 0x0000)).toBe(frame.readUInt16LE(frame.length - 3))
    }
  })

  it('the booth’s status query is the example byte for byte, and both sides read both examples alike', () => {
    expect(encodeStatusQuery(1)).toEqual(statusQuery)
    expect(encodeFrame(1, bytes('A3 10 01 00 00'))).toEqual(clearScreen)
    const packets = new OnbonReader().push(Buffer.concat([bytes('00 5A 13'), statusQuery, clearScreen]))
    expect(packets.map((packet) => [packet.destination, packet.source, packet.data.toString('hex')])).toEqual([
      [1, 0x8000, 'a200010000'],
      [1, 0x8000, 'a310010000']
    ])
    expect(scanFrame(clearScreen).frame).toEqual({ destination: 1, source: 0x8000, data: bytes('A3 10 01 00 00') })
  })

  it('escapes A5 A6 5A 5B inside a frame the same way on both sides', () => {
    const data = [0xa0, 0x00, 0xa5, 0x5a, 0xa6, 0x5b]
    const reply = onbonFrame(0x5aa5, 0x8000, data)
    expect(reply.subarray(8, -1).includes(0xa5)).toBe(false)
    expect(reply.subarray(8, -1).includes(0x5a)).toBe(false)
    expect(scanFrame(reply).frame).toEqual({ destination: 0x8000, source: 0x5aa5, data: Buffer.from(data) })
    const [packet] = new OnbonReader().push(encodeFrame(0x5aa5, Buffer.from(data)))
    expect(packet).toMatchObject({ destination: 0x5aa5, source: 0x8000, data: Buffer.from(data) })
  })

  it('A3 06 dynamic areas: lines, colours and the voice the booth sends are what the controller reads', () => {
    const frame = encodeDynamicAreas(1, [
      { id: 0, geometry: { x: 0, y: 0, width: 64, height: 16 }, colour: 'red', text: '豫A12345', voice: '豫A12345，禁止通行' },
      { id: 1, geometry: { x: 0, y: 16, width: 64, height: 16 }, colour: 'green', text: '' }
    ])
    const [packet] = new OnbonReader().push(frame)
    expect(packet!.data.subarray(0, 7)).toEqual(bytes('A3 06 01 00 00 00 02'))
    expect(readDynamicAreas(packet!.data)).toEqual({
      deleted: [],
      areas: [
        { id: 0, x: 0, y: 0, width: 64, height: 16, text: '豫A12345', colour: 'red', voice: '豫A12345，禁止通行' },
        { id: 1, x: 0, y: 16, width: 64, height: 16, text: '', colour: 'green', voice: null }
      ]
    })
  })

  it('BX-5 marks X and width as pixels (high bit), BX-6 takes pixels as they are', () => {
    const area = { id: 0, geometry: { x: 8, y: 0, width: 64, height: 16 }, colour: 'green' as const, text: '' }
    const xAndWidth = (frame: Buffer) => {
      const data = new OnbonReader().push(frame)[0]!.data
      return [data.readUInt16LE(10), data.readUInt16LE(14)]
    }
    expect(xAndWidth(encodeDynamicAreas(1, [area]))).toEqual([0x8008, 0x8040])
    expect(xAndWidth(encodeDynamicAreas(1, [area], 'bx6'))).toEqual([8, 64])
  })

  it('a text starting with a digit keeps it: \\C takes one digit, so "\\C1" + "1号入口" is red "1号入口"', () => {
    const frame = encodeDynamicAreas(1, [{ id: 0, geometry: { x: 0, y: 0, width: 64, height: 16 }, colour: 'red', text: '1号入口' }])
    const [packet] = new OnbonReader().push(frame)
    expect(readDynamicAreas(packet!.data).areas[0]).toMatchObject({ text: '1号入口', colour: 'red' })
  })

  it('the booth finds the controller’s answer behind noise and a corrupted copy, and reads done / refused', () => {
    const ok = onbonFrame(1, 0x8000, ONBON_OK)
    const corrupted = Buffer.from(ok)
    corrupted[20]! ^= 0x04
    const line = Buffer.concat([bytes('13 37 A5 00 5A'), corrupted, ok])
    const scan = scanBxAnswer(line, 1)
    expect(scan.reply).toEqual(Buffer.from(ONBON_OK))
    expect(scan.consumed).toBe(line.length)
    expect(scan.crcErrors).toBe(1)
    expect(readAnswer(Buffer.from(onbonFailed(2)))).toEqual({ ok: false, code: 2 })
    expect(scanBxAnswer(onbonFrame(2, 0x8000, ONBON_OK), 1).reply).toBeNull()
  })

  it('refuses text GB2312 cannot carry and the control character before anything is sent', () => {
    const area = { id: 0, geometry: { x: 0, y: 0, width: 64, height: 16 }, colour: 'red' as const }
    expect(() => encodeDynamicAreas(1, [{ ...area, text: '😀' }])).toThrow(DisplayTextError)
    expect(() => encodeDynamicAreas(1, [{ ...area, text: 'a\\C2b' }])).toThrow(/control character/)
  })
})

describe('Vzenith TCP command channel: the booth and the camera simulator against the SDK’s pass-through example', () => {
  it('the SDK’s example command (6 bytes "ABCDEF" to rs485-1) travels in a VZ packet both sides frame alike', () => {
    const packet = encodeSerialSend('1', 'rs485-1', Buffer.from('ABCDEF'))
    expect(packet.subarray(0, 4)).toEqual(bytes('56 5A 00 00'))
    expect(packet.readUInt32BE(4)).toBe(packet.length - 8)
    const [read] = new VzReader().push(Buffer.concat([bytes('00 56 13'), packet]))
    expect(JSON.parse(read!.body.toString())).toEqual({ cmd: 'ttransmission', subcmd: 'send', id: '1', datalen: 6, data: 'QUJDREVG', comm: 'rs485-1' })
    expect(vzPacket(0, 0, read!.body)).toEqual(packet)
  })

  it('heartbeats are empty type-1 packets; the booth finds the camera’s answer behind noise and other packets', () => {
    expect(encodeHeartbeat()).toEqual(bytes('56 5A 01 00 00 00 00 00'))
    expect(new VzReader().push(encodeHeartbeat())).toEqual([{ type: 1, sn: 0, body: Buffer.alloc(0) }])
    const answer = vzJson(0, { cmd: 'ttransmission', id: 'booth-1', state_code: 200 })
    const line = Buffer.concat([bytes('56 5A 07 FF'), vzJson(0, { cmd: 'ivs_result' }), bytes('56'), answer])
    const scan = scanCameraAnswer(line, 'ttransmission')
    expect(JSON.parse(scan.reply!.body.toString())).toMatchObject({ state_code: 200 })
    expect(scan.consumed).toBe(line.length)
    expect(scanPacket(answer.subarray(0, 10))).toMatchObject({ packet: null, consumed: 0 })
    // A header claiming a long body that is not JSON does not hold back the answer behind it.
    const noisy = Buffer.concat([bytes('56 5A 00 00 00 0F 00 00 13 37'), answer])
    expect(JSON.parse(scanCameraAnswer(noisy, 'ttransmission').reply!.body.toString())).toMatchObject({ state_code: 200 })
  })
})
