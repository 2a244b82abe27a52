/**
 * The camera's side of the Vzenith (臻识) TCP command channel (port 8131): packets of an 8-byte header — 'V' 'Z',
 * type (0 data, 1 heartbeat), serial number, body length as 4 bytes big-endian — and a JSON body. Written for the
 * simulator from the SDK's description of the channel and of the `ttransmission` (serial pass-through) command.
 */
export interface VzPacketIn {
  type: number
  sn: number
  body: Buffer
}

export function vzPacket(type: number, sn: number, body: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.write('VZ', 0, 'latin1')
  header[2] = type
  header[3] = sn
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

export function vzJson(sn: number, body: Record<string, unknown>): Buffer {
  return vzPacket(0, sn, Buffer.from(JSON.stringify(body), 'utf8'))
}

/** Splits the client's byte stream into packets; bytes that are not a header are dropped one at a time. */
export class VzReader {
  private pending = Buffer.alloc(0)
  discarded = 0

  push(chunk: Uint8Array): VzPacketIn[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const found: VzPacketIn[] = []
    while (this.pending.length >= 8) {
      const p = this.pending
      if (p[0] !== 0x56 || p[1] !== 0x5a || p[2]! > 1 || p.readUInt32BE(4) > 1 << 20) {
        this.discarded++
        this.pending = p.subarray(1)
        continue
      }
      const length = p.readUInt32BE(4)
      if (p.length < 8 + length) break
      found.push({ type: p[2]!, sn: p[3]!, body: Buffer.from(p.subarray(8, 8 + length)) })
      this.pending = p.subarray(8 + length)
    }
    return found
  }
}
