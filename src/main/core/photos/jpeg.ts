/**
 * Photos go to the platform as JPEG (spec 2.2). ERRATA E29: keep each at most 700,000 bytes so both the file and its
 * base64 text stay under "1M" whichever way the platform counts.
 */
export const MAX_PHOTO_BYTES = 700_000

/**
 * Why these bytes cannot be a JPEG photo at all, or null when they look like one (start and end markers). The size
 * is not a problem here: an oversized photo is kept and re-encoded smaller before it is sent (see `preparePhoto`).
 */
export function jpegProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength < 4) return '照片为空或过短'
  const startsAsJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  if (!startsAsJpeg) return '照片不是 JPEG 格式'
  const end = bytes.byteLength
  if (bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) return 'JPEG 文件不完整（缺少结束标记）'
  return null
}

/**
 * The frame size a JPEG's header declares, read by walking its marker segments from the start to the scan (SOS) as a
 * decoder reads the header: every segment within the file, a frame header (SOF) with a sane size before the scan.
 * A problem, in Chinese, when the header is not one. Costs a microsecond, where a libvips header read cost ~0.15 ms
 * of the sender's CPU per photo; the scan data are not judged here (docs/sync.md, "Photos at send time").
 */
export function jpegFrameSize(bytes: Uint8Array): { width: number; height: number } | { problem: string } {
  let frame: { width: number; height: number } | null = null
  let at = 2
  while (at + 4 <= bytes.byteLength) {
    if (bytes[at] !== 0xff) return { problem: `文件头第 ${at} 字节不是段标记` }
    const marker = bytes[at + 1]!
    // Fill bytes before a marker, and the markers without a length.
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += marker === 0xff ? 1 : 2
      continue
    }
    if (marker === 0xd9) break
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!
    if (length < 2 || at + 2 + length > bytes.byteLength) return { problem: '文件头的段超出文件末尾' }
    if (marker === 0xda) return frame ?? { problem: '缺少帧头（SOF）' }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const components = bytes[at + 9]
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!
      if (frame || components === undefined || components < 1 || length !== 8 + 3 * components || width === 0 || height === 0) {
        return { problem: '帧头（SOF）无效' }
      }
      frame = { width, height }
    }
    at += 2 + length
  }
  return { problem: '文件头不完整（没有扫描段）' }
}
