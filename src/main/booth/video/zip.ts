/**
 * A ZIP archive of stored entries (no compression: the clips are MP4 already, the workbook is zipped itself), with
 * UTF-8 names (general-purpose flag bit 11) so Chinese file names read right on Windows' explorer.
 */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** Bytes checksummed between two yields to the event loop (a few ms each): a clip of many MB never stalls the booth. */
const SLICE = 128 * 1024

function update(crc: number, bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return crc
}

export function crc32(bytes: Uint8Array): number {
  return (update(0xffffffff, bytes, 0, bytes.byteLength) ^ 0xffffffff) >>> 0
}

/** crc32 in slices, yielding to the event loop between them. */
export async function crc32Yielding(bytes: Uint8Array): Promise<number> {
  let crc = 0xffffffff
  for (let from = 0; from < bytes.byteLength; from += SLICE) {
    crc = update(crc, bytes, from, Math.min(bytes.byteLength, from + SLICE))
    await new Promise((resolve) => setImmediate(resolve))
  }
  return (crc ^ 0xffffffff) >>> 0
}

export interface ZipEntry {
  name: string
  bytes: Uint8Array
}

export async function zipStored(entries: ZipEntry[], at = new Date()): Promise<Buffer> {
  const time = (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2)
  const date = ((at.getFullYear() - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate()
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const crc = await crc32Yielding(entry.bytes)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(0, 8)
    local.writeUInt16LE(time, 10)
    local.writeUInt16LE(date, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(entry.bytes.byteLength, 18)
    local.writeUInt32LE(entry.bytes.byteLength, 22)
    local.writeUInt16LE(name.byteLength, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt16LE(time, 12)
    central.writeUInt16LE(date, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(entry.bytes.byteLength, 20)
    central.writeUInt32LE(entry.bytes.byteLength, 24)
    central.writeUInt16LE(name.byteLength, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength))
    centrals.push(central, name)
    offset += 30 + name.byteLength + entry.bytes.byteLength
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.byteLength, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}
