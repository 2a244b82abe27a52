/**
 * The Vzenith (臻识) camera's TCP command channel (port 8131), as far as the RS-485 pass-through needs it
 * (docs/devices.md, "Vzenith RS-485 pass-through"):
 *
 *   'V' 'Z'  type  sn  length[4, big-endian]  body[length]
 *   type 0: a JSON command or answer; type 1: heartbeat (empty body, answered in kind)
 *
 * The pass-through command is `{"cmd":"ttransmission","subcmd":"send","id":…,"datalen":N,"data":base64,"comm":"rs485-1"}`:
 * the camera writes the N bytes on its RS-485 port and answers `{"cmd":"ttransmission","state_code":200,…}`.
 */
export const HEADER_LENGTH = 8
export const PacketType = { data: 0, heartbeat: 1 } as const
/** A camera answer bigger than this is not one of ours (snapshots are never asked for on this channel). */
const MAX_BODY = 1024 * 1024

export function encodePacket(type: number, sn: number, body: Buffer): Buffer {
  const header = Buffer.from([0x56, 0x5a, type, sn & 0xff, 0, 0, 0, 0])
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

export function encodeHeartbeat(): Buffer {
  return encodePacket(PacketType.heartbeat, 0, Buffer.alloc(0))
}

export type RS485Port = 'rs485-1' | 'rs485-2'

export function encodeSerialSend(id: string, port: RS485Port, bytes: Buffer): Buffer {
  const body = { cmd: 'ttransmission', subcmd: 'send', id, datalen: bytes.length, data: bytes.toString('base64'), comm: port }
  return encodePacket(PacketType.data, 0, Buffer.from(JSON.stringify(body), 'utf8'))
}

export interface VzPacket {
  type: number
  body: Buffer
}

export interface VzScan {
  packet: VzPacket | null
  consumed: number
  /** Bytes skipped that could not start a packet. */
  skipped: number
}

/** Finds the next packet; bytes before a 'VZ' header, or a header with an absurd length, are skipped. */
export function scanPacket(buffer: Uint8Array): VzScan {
  let start = 0
  for (;;) {
    const at = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length).indexOf('VZ', start, 'latin1')
    if (at < 0) {
      // Keep a trailing 'V' that may be the start of the next header.
      const keep = buffer.length > 0 && buffer[buffer.length - 1] === 0x56 ? 1 : 0
      return { packet: null, consumed: buffer.length - keep, skipped: buffer.length - keep }
    }
    if (buffer.length - at < HEADER_LENGTH) return { packet: null, consumed: at, skipped: at }
    const length = Buffer.from(buffer.subarray(at + 4, at + 8)).readUInt32BE(0)
    const type = buffer[at + 2]!
    // A header whose body cannot be ours (not JSON, a heartbeat with a body) is noise: waiting for its claimed length
    // would hold back the real answer behind it.
    const notJson = type === PacketType.data && (length === 0 || (buffer.length > at + HEADER_LENGTH && buffer[at + HEADER_LENGTH] !== 0x7b))
    if (length > MAX_BODY || (type !== PacketType.data && type !== PacketType.heartbeat) || (type === PacketType.heartbeat && length !== 0) || notJson) {
      start = at + 1
      continue
    }
    if (buffer.length - at < HEADER_LENGTH + length) return { packet: null, consumed: at, skipped: at }
    return { packet: { type, body: Buffer.from(buffer.subarray(at + HEADER_LENGTH, at + HEADER_LENGTH + length)) }, consumed: at + HEADER_LENGTH + length, skipped: at }
  }
}

/** The JSON of a data packet, or null when it is not a JSON object. */
export function packetJson(packet: VzPacket): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(packet.body.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
