import sharp from 'sharp'
import { jpegProblem, MAX_PHOTO_BYTES } from './jpeg'

/** A photo that cannot be sent at all (not a decodable JPEG): the caller keeps it and reports the reason. */
export class PhotoProblemError extends Error {
  override name = 'PhotoProblemError'
}

export interface PreparedPhoto {
  jpeg: Buffer
  /** True when the bytes were re-encoded to fit the limit. */
  reencoded: boolean
  originalBytes: number
}

/** Tried in order until the JPEG fits: first lower quality at full size, then smaller sizes. */
const QUALITY_STEPS = [85, 75, 65, 55] as const
const SCALE_STEPS = [0.75, 0.5, 0.35, 0.25, 0.15] as const

/**
 * A photo ready for the platform (ERRATA E29): a real, decodable JPEG of at most `limit` bytes. A photo within the
 * limit goes unchanged; a larger one is re-encoded (lower quality, then downscaled) until it fits. Never drops a
 * photo silently: bytes that are not a JPEG, or cannot be decoded, raise PhotoProblemError with the reason.
 */
export async function preparePhoto(bytes: Uint8Array, limit = MAX_PHOTO_BYTES): Promise<PreparedPhoto> {
  const structural = jpegProblem(bytes)
  if (structural) throw new PhotoProblemError(structural)
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let width: number
  try {
    const metadata = await sharp(input).metadata()
    if (metadata.format !== 'jpeg' || !metadata.width) throw new Error(`format ${metadata.format}`)
    width = metadata.width
    // Decoding every pixel is the only way to know the file is not truncated or corrupt inside.
    await sharp(input, { failOn: 'error' }).raw().toBuffer()
  } catch (error) {
    throw new PhotoProblemError(`照片无法解码为 JPEG：${(error as Error).message}`)
  }
  if (input.byteLength <= limit) return { jpeg: input, reencoded: false, originalBytes: input.byteLength }
  for (const quality of QUALITY_STEPS) {
    const jpeg = await encode(input, width, quality)
    if (jpeg.byteLength <= limit) return { jpeg, reencoded: true, originalBytes: input.byteLength }
  }
  for (const scale of SCALE_STEPS) {
    const jpeg = await encode(input, Math.max(1, Math.round(width * scale)), QUALITY_STEPS.at(-1)!)
    if (jpeg.byteLength <= limit) return { jpeg, reencoded: true, originalBytes: input.byteLength }
  }
  throw new PhotoProblemError(`照片压缩后仍超过 ${limit} 字节`)
}

function encode(input: Buffer, width: number, quality: number): Promise<Buffer> {
  return sharp(input).rotate().resize({ width, withoutEnlargement: true }).jpeg({ quality, mozjpeg: true }).toBuffer()
}
