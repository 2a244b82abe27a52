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
