import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc16Modbus, crcMatches, withCrc } from '../../src/main/booth/devices/crc16'
import {
  decodeCommand,
  DisplayTextError,
  encodeAck,
  encodeConnect,
  encodePlayVoice,
  encodeShowText,
  PacketDecoder
} from '../../src/main/booth/devices/display-led-0x64/protocol-0x64'
import { scanAnswer } from '../../src/main/booth/devices/display-led-0x64/led-display'
import { COIL_ON, encodeBitsResponse, encodeException, encodeRequest, FunctionCode, RequestDecoder, scanReply } from '../../src/main/booth/devices/modbus/rtu'
import { encodeWeightFrame, StabilityDetector, WeightFrameDecoder } from '../../src/main/booth/devices/scale-xk3190/xk3190'

const bytes = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')
const hex = (frame: Uint8Array) => Buffer.from(frame).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ')

describe('CRC-16/MODBUS', () => {
  it('matches the Modbus application note example (read 2 holding registers of unit 1 → CRC C4 0B)', () => {
    expect(hex(withCrc(bytes('01 03 00 00 00 02')))).toBe('01 03 00 00 00 02 C4 0B')
  })

  it('detects any single flipped bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (body, flip) => {
        const frame = withCrc(body)
        expect(crcMatches(frame)).toBe(true)
        const bit = flip % (frame.length * 8)
        frame[bit >> 3]! ^= 1 << (bit & 7)
        expect(crcMatches(frame)).toBe(false)
      })
    )
  })

  it('is the same function over a subrange', () => {
    const frame = bytes('AA 01 03 00 00 00 02 BB')
    expect(crc16Modbus(frame, 1, 7)).toBe(0x0bc4)
  })
})

describe('Modbus RTU framing', () => {
  const openCoil = { unit: 1, fn: FunctionCode.writeSingleCoil, address: 0, value: COIL_ON }
  const readInputs = { unit: 1, fn: FunctionCode.readDiscreteInputs, address: 0, value: 3 }

  it('encodes a coil write and a discrete-input read as in the Modbus spec', () => {
    expect(hex(encodeRequest(openCoil))).toBe('01 05 00 00 FF 00 8C 3A')
    expect(hex(encodeRequest(readInputs))).toBe('01 02 00 00 00 03 38 0B')
  })

  it('finds the reply behind garbage and a frame with a wrong CRC, and decodes the input bits', () => {
    const good = encodeBitsResponse(1, FunctionCode.readDiscreteInputs, [false, true, true])
    const corrupted = Buffer.from(good)
    corrupted[3]! ^= 0x01
    const line = Buffer.concat([bytes('FF 00 13 37'), corrupted, good])
    const scan = scanReply(line, readInputs)
    expect(scan.reply).toEqual({ kind: 'bits', bits: [false, true, true] })
    expect(scan.crcErrors).toBe(1)
    expect(scan.consumed).toBe(line.length)
  })

  it('waits for the rest of a split reply and keeps its start', () => {
    const reply = encodeRequest(openCoil)
    const first = scanReply(Buffer.concat([bytes('55'), reply.subarray(0, 5)]), openCoil)
    expect(first).toMatchObject({ reply: null, consumed: 1 })
    expect(scanReply(reply, openCoil).reply).toEqual({ kind: 'echo' })
  })

  it("takes only the coil write's own echo: a late echo of another coil write is skipped", () => {
    const lowerEcho = encodeRequest({ ...openCoil, address: 1 })
    expect(scanReply(lowerEcho, openCoil)).toMatchObject({ reply: null, consumed: lowerEcho.length })
    const line = Buffer.concat([lowerEcho, encodeRequest(openCoil)])
    expect(scanReply(line, openCoil)).toMatchObject({ reply: { kind: 'echo' }, consumed: line.length, skipped: lowerEcho.length })
  })

  it('decodes an exception reply', () => {
    expect(scanReply(encodeException(1, FunctionCode.writeSingleCoil, 2), openCoil).reply).toEqual({ kind: 'exception', code: 2, text: 'illegal data address' })
  })

  it('splits requests on the slave side, resynchronising after garbage and bad CRCs', () => {
    const decoder = new RequestDecoder(1)
    const bad = encodeRequest(readInputs)
    bad[7]! ^= 0xff
    const requests = decoder.push(Buffer.concat([bytes('00 FF 07'), bad, encodeRequest(openCoil), encodeRequest({ ...readInputs, unit: 2 }), encodeRequest(readInputs)]))
    expect(requests).toEqual([openCoil, readInputs])
    expect(decoder.crcErrors).toBe(1)
  })

  it('never loses a request that follows arbitrary garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (garbage) => {
        const decoder = new RequestDecoder(1)
        const found = decoder.push(Buffer.concat([garbage, encodeRequest(openCoil)]))
        expect(found.at(-1)).toEqual(openCoil)
      })
    )
  })
})

describe('LED 0x64 protocol', () => {
  it('encodes "欢迎光临" on line 1 in red exactly as the protocol document’s 0x62 example', () => {
    expect(hex(encodeShowText(0, 0, 'red', '欢迎光临'))).toBe(
      '00 64 FF FF 62 1B 00 00 01 00 05 00 01 03 00 FF 00 00 00 00 00 00 00 08 00 BB B6 D3 AD B9 E2 C1 D9 58 96'
    )
  })

  it('encodes the voice "欢迎光临,请入场停车" with the document’s 0x30 bytes (OPT 01 there, 02 = clear queue here)', () => {
    const documented = bytes('00 64 FF FF 30 14 01 BB B6 D3 AD B9 E2 C1 D9 2C C7 EB C8 EB B3 A1 CD A3 B3 B5 A9 36')
    expect(crcMatches(documented)).toBe(true)
    const ours = encodePlayVoice(0, '欢迎光临,请入场停车')
    expect(hex(ours.subarray(0, 6))).toBe('00 64 FF FF 30 14')
    expect(ours[6]).toBe(0x02)
    expect(ours.subarray(7, -2)).toEqual(documented.subarray(7, -2))
    expect(crcMatches(ours)).toBe(true)
  })

  it('matches the document’s ACK reply to 0x62 and its 0x00 connect example', () => {
    expect(hex(encodeAck(0, 0x62))).toBe('00 64 FF FF 62 01 00 97 6A')
    expect(hex(encodeConnect(0, '159753'))).toBe('00 64 FF FF 00 06 31 35 39 37 35 33 FB 06')
    const reply = bytes('00 64 FF FF 00 0A 00 31 30 32 34 36 30 31 30 30 9F EF')
    expect(scanAnswer(reply, 0, 0x00).reply).toEqual(reply.subarray(6, 16))
  })

  it('round-trips line, colour and text through the decoder, behind garbage and a corrupted packet', () => {
    const decoder = new PacketDecoder(3)
    const corrupted = encodeShowText(3, 1, 'green', '坏包')
    corrupted[10]! ^= 0x40
    const packets = decoder.push(Buffer.concat([bytes('03 64 00'), corrupted, encodeShowText(3, 1, 'green', '豫A12345 请通行'), encodePlayVoice(3, '请通行')]))
    expect(packets.map(decodeCommand)).toEqual([
      { kind: 'text', line: 1, colour: 'green', rgba: [0, 255, 0, 0], text: '豫A12345 请通行' },
      { kind: 'voice', option: 2, text: '请通行' }
    ])
    expect(decoder.crcErrors).toBe(1)
  })

  it('refuses text GB2312 cannot carry, and text longer than a packet, instead of sending "?"', () => {
    expect(() => encodeShowText(0, 0, 'red', '😀')).toThrow(DisplayTextError)
    expect(() => encodeShowText(0, 0, 'red', '长'.repeat(119))).toThrow(/at most 236/)
    expect(() => encodeShowText(0, 4, 'red', 'x')).toThrow(/4 lines/)
  })

  it('finds an ACK behind noise', () => {
    const line = Buffer.concat([bytes('00 64 FF'), encodeAck(0, 0x62, 0)])
    expect(scanAnswer(line, 0, 0x62)).toMatchObject({ reply: Buffer.from([0]), consumed: line.length })
  })
})

describe('XK3190-A9 continuous frames', () => {
  it('encodes 1560 kg as the indicator sends it', () => {
    expect(hex(encodeWeightFrame(1560))).toBe('02 2B 30 30 31 35 36 30 30 31 39 03')
    expect(encodeWeightFrame(-12.5, 1).toString('latin1')).toBe('\x02-00012511A\x03')
  })

  it('decodes frames split anywhere, skipping garbage and frames with a bad XOR', () => {
    const bad = encodeWeightFrame(999)
    bad[4] = 0x39
    const stream = Buffer.concat([bytes('41 42 02'), bad, encodeWeightFrame(1560), encodeWeightFrame(31.25, 2)])
    const decoder = new WeightFrameDecoder()
    const weights: number[] = []
    for (let i = 0; i < stream.length; i += 5) weights.push(...decoder.push(stream.subarray(i, i + 5)))
    expect(weights).toEqual([1560, 31.25])
    expect(decoder.checksumErrors).toBeGreaterThan(0)
  })

  it('calls a weight stable only after it held within the tolerance for the settle time', () => {
    const detector = new StabilityDetector({ toleranceKg: 20, settleMs: 1000 })
    expect(detector.add(5000, 0).stable).toBe(false)
    expect(detector.add(30000, 200).stable).toBe(false)
    expect(detector.add(30010, 700).stable).toBe(false)
    expect(detector.add(30005, 1200).stable).toBe(true)
    expect(detector.add(30400, 1300).stable).toBe(false)
  })
})
