import type Sharp from 'sharp'
import { jpegFrameSize, jpegProblem, MAX_PHOTO_BYTES } from './jpeg'

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

/** sharp (libvips) takes ~0.4 s to load: loaded with the first photo checked, not at the booth's start. */
let sharpLoading: Promise<typeof Sharp> | null = null
const loadSharp = () => (sharpLoading ??= import('sharp').then((module) => module.default))

/** Re-encoding quality: plenty for a plate and a truck, and much smaller than a camera's own. */
const QUALITY = 75
/** At most this many downscaling rounds before giving up (each aims just under the limit). */
const MAX_ROUNDS = 8
const MIN_WIDTH = 64

/**
 * A photo ready for the platform (ERRATA E29): a JPEG of at most `limit` bytes. A photo within the limit goes
 * unchanged, after checking its markers and its header (the segments up to the scan, the frame size); a larger one is
 * decoded and re-encoded (quality 75, then downscaled) until it fits. Never drops a photo silently: bytes that are not
 * a JPEG, or whose header or (when re-encoded) pixels cannot be read, raise PhotoProblemError with the reason.
 *
 * A photo within the limit is not decoded: the platform receives exactly the bytes the camera delivered (the sync
 * worker checks their sha256 against the one recorded), whose scan data the platform judges; decoding every pixel of
 * every photo before sending cost ~8 ms of CPU per 1920×1080 photo of 200 KB (docs/sync.md, "Photos at send time").
 */
export async function preparePhoto(bytes: Uint8Array, limit = MAX_PHOTO_BYTES): Promise<PreparedPhoto> {
  const structural = jpegProblem(bytes)
  if (structural) throw new PhotoProblemError(structural)
  const header = jpegFrameSize(bytes)
  if ('problem' in header) throw new PhotoProblemError(`照片无法解码为 JPEG：${header.problem}`)
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (input.byteLength <= limit) return { jpeg: input, reencoded: false, originalBytes: input.byteLength }
  return fitToLimit(input, header.width, limit, input.byteLength)
}

/**
 * An image an admin picked for a ledger (licence, 随车清单, nameplate), made ready for the platform: JPEG and PNG are
 * decoded in full (a renamed text file or an image damaged inside is refused with the reason; unlike a camera photo,
 * one picture now and then is worth the decode), a PNG becomes a JPEG, and anything over `limit` bytes is re-encoded
 * smaller as `preparePhoto` does (ERRATA E29).
 */
export async function prepareUploadImage(bytes: Uint8Array, limit = MAX_PHOTO_BYTES): Promise<PreparedPhoto> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const format = imageFormat(input)
  if (!format) throw new PhotoProblemError('不是 JPEG 或 PNG 图片')
  const label = format === 'jpeg' ? 'JPEG' : 'PNG'
  let width: number
  try {
    const metadata = await (await loadSharp())(input).metadata()
    if (metadata.format !== format || !metadata.width) throw new Error(`format ${metadata.format}`)
    width = metadata.width
    await (await loadSharp())(input, { failOn: 'error' }).raw().toBuffer()
  } catch (error) {
    throw new PhotoProblemError(`${label} 图片无法解码：${(error as Error).message}`)
  }
  if (format === 'jpeg') return preparePhoto(input, limit)
  const jpeg = await (await loadSharp())(input).flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY }).toBuffer()
  if (jpeg.byteLength <= limit) return { jpeg, reencoded: true, originalBytes: input.byteLength }
  return fitToLimit(jpeg, width, limit, input.byteLength)
}

function imageFormat(bytes: Buffer): 'jpeg' | 'png' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png'
  return null
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/**
 * Re-encodes a decodable image until it fits: first at full size; then scaled by the square root of the size ratio
 * (bytes grow with the pixel count), aiming a little under the limit.
 */
async function fitToLimit(input: Buffer, width: number, limit: number, originalBytes: number): Promise<PreparedPhoto> {
  let target = width
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let jpeg: Buffer
    try {
      jpeg = await encode(input, target, QUALITY)
    } catch (error) {
      throw new PhotoProblemError(`照片无法解码为 JPEG：${(error as Error).message}`)
    }
    if (jpeg.byteLength <= limit) return { jpeg, reencoded: true, originalBytes }
    if (target <= MIN_WIDTH) break
    target = Math.max(MIN_WIDTH, Math.floor(target * Math.sqrt(limit / jpeg.byteLength) * 0.95))
  }
  throw new PhotoProblemError(`照片压缩后仍超过 ${limit} 字节`)
}

async function encode(input: Buffer, width: number, quality: number): Promise<Buffer> {
  return (await loadSharp())(input).rotate().resize({ width, withoutEnlargement: true }).jpeg({ quality }).toBuffer()
}
