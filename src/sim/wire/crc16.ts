/**
 * The simulators' own CRC-16 (reflected polynomial 0xA001), computed bit by bit as the Modbus over Serial Line
 * guide (section 6.2.2) describes it, independent of the booth's table-driven one. Two initial values are in use on
 * the devices simulated here: 0xFFFF (CRC-16/MODBUS: Modbus RTU, the 0x64 LED protocol) and 0x0000 (CRC-16/ARC:
 * the Onbon BX protocol). Both are sent low byte first.
 */
export function crc16(bytes: Uint8Array, initial: 0xffff | 0x0000): number {
  let crc: number = initial
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1
  }
  return crc
}

export function appendCrc(body: Uint8Array, initial: 0xffff | 0x0000): Buffer {
  const crc = crc16(body, initial)
  return Buffer.concat([body, Buffer.from([crc & 0xff, crc >>> 8])])
}

export function hasGoodCrc(frame: Uint8Array, initial: 0xffff | 0x0000): boolean {
  if (frame.length < 3) return false
  const crc = crc16(frame.subarray(0, frame.length - 2), initial)
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8
}
