import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_PHOTO_BYTES, preparePhoto, PhotoProblemError } from '../../src/main/core/photos'
import type { PlatformSim } from '../../src/sim/platform/server'
import { clientFor, machine, photo, startSim } from './platform-fixtures'
import { tinyJpeg } from './support'

/** A real JPEG of noise (which compresses badly), as large as a camera's or a scanner's. */
function noiseJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toBuffer()
}

async function threeMegabyteJpeg(): Promise<Buffer> {
  const jpeg = await noiseJpeg(1900, 1400)
  expect(jpeg.length).toBeGreaterThan(3_000_000)
  return jpeg
}

let sim: PlatformSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('photos to the platform (ERRATA E29)', () => {
  it('a 3 MB photo arrives as one valid JPEG within 700,000 bytes, the file and base64Image alike', async () => {
    sim = await startSim()
    const original = await threeMegabyteJpeg()
    const outcome = await clientFor(sim, { requestTimeoutMs: 30_000 }).putPhoto(photo, original, `${photo.lsh}_1.jpg`)
    expect(outcome).toMatchObject({ kind: 'ok' })
    const uploads = sim.requests().filter((r) => r.ipctype === 'sharePhotoInfo')
    expect(uploads).toHaveLength(1)
    const upload = uploads[0]!
    expect(upload.photo!.bytes).toBeLessThanOrEqual(MAX_PHOTO_BYTES)
    expect(upload.value!.base64Image).toEqual(upload.photo)
    const arrived = Buffer.from(await (await fetch(`${sim.url}/__sim/photos/${upload.seq}.jpg`)).arrayBuffer())
    expect(arrived.length).toBe(upload.photo!.bytes)
    const metadata = await sharp(arrived).metadata()
    expect(metadata.format).toBe('jpeg')
    await expect(sharp(arrived, { failOn: 'error' }).raw().toBuffer()).resolves.toBeInstanceOf(Buffer)
    // The original on disk is untouched: the caller keeps it.
    expect(original.length).toBeGreaterThan(3_000_000)
  })

  it('re-encodes an oversized inline image of 4.1.8 too, so the record is accepted', async () => {
    sim = await startSim()
    const nameplate = await noiseJpeg(1000, 800)
    expect(nameplate.length).toBeGreaterThan(MAX_PHOTO_BYTES)
    const outcome = await clientFor(sim, { requestTimeoutMs: 30_000 }).putData('shareInnerMHYElec', { ...machine, imageInfo: nameplate.toString('base64') })
    expect(outcome).toMatchObject({ kind: 'ok' })
    const sent = sim.requests().find((r) => r.ipctype === 'shareInnerMHYElec')!
    expect(sent.value!.imageInfo.bytes).toBeLessThanOrEqual(MAX_PHOTO_BYTES)
  })

  it('leaves a photo within the limit byte for byte as it is', async () => {
    const jpeg = tinyJpeg(10_000)
    const prepared = await preparePhoto(jpeg)
    expect(prepared).toMatchObject({ reencoded: false, originalBytes: 10_000 })
    expect(prepared.jpeg.equals(jpeg)).toBe(true)
  })

  it('never drops a photo silently: bytes that are not a decodable JPEG raise the reason', async () => {
    await expect(preparePhoto(Buffer.from('GIF89a....'))).rejects.toThrow(new PhotoProblemError('照片不是 JPEG 格式'))
    const truncated = Buffer.concat([tinyJpeg(2000).subarray(0, 1200), Buffer.from([0xff, 0xd9])])
    await expect(preparePhoto(truncated)).rejects.toThrow(/照片无法解码为 JPEG/)
  })
})
