/**
 * CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF), sent low byte first. Modbus RTU and the lane LED
 * protocol (docs/devices.md) both use it. The simulators have their own (src/sim/wire/crc16.ts); both are pinned to the
 * published frames in test/unit/wire-pinned.test.ts.
 */
const table = (() => {
  const entries = new Uint16Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1
    entries[byte] = crc
  }
  return entries
})()

export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc16(0xffff, bytes, start, end)
}

/** CRC-16/ARC: the same polynomial from 0 (the Onbon BX protocol). */
export function crcArc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc16(0x0000, bytes, start, end)
}

function crc16(initial: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = initial
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ table[(crc ^ bytes[i]!) & 0xff]!
  return crc
}

/** `body` followed by its CRC, low byte first. */
export function withCrc(body: Uint8Array): Buffer {
  const crc = crc16Modbus(body)
  return Buffer.concat([body, Buffer.from([crc & 0xff, crc >>> 8])])
}

/** True when the last two bytes of `frame` are the CRC of the bytes before them. */
export function crcMatches(frame: Uint8Array): boolean {
  if (frame.length < 3) return false
  const crc = crc16Modbus(frame, 0, frame.length - 2)
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8
}
