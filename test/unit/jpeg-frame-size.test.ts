import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { jpegFrameSize } from '../../src/main/core/photos/jpeg'
import { tinyJpeg } from '../integration/support'

async function sharpSize(bytes: Buffer): Promise<{ width: number; height: number } | 'fails'> {
  try {
    const metadata = await sharp(bytes).metadata()
    return metadata.format === 'jpeg' && metadata.width && metadata.height ? { width: metadata.width, height: metadata.height } : 'fails'
  } catch {
    return 'fails'
  }
}

/** The sender's own JPEG header walk, against libvips' header read of the same bytes. */
describe('JPEG frame size from the header', () => {
  it('reads the size libvips reads: baseline, progressive, with EXIF, comments and odd sizes', async () => {
    const noise = { create: { width: 1921, height: 1079, channels: 3 as const, background: '#6b7d8f', noise: { type: 'gaussian' as const, mean: 128, sigma: 26 } } }
    const raw = await sharp(noise).png().toBuffer()
    const photos = [
      await sharp(raw).jpeg({ quality: 75 }).toBuffer(),
      await sharp(raw).jpeg({ progressive: true }).toBuffer(),
      await sharp(raw).resize(640, 480).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
      await sharp(raw).greyscale().jpeg().toBuffer(),
      tinyJpeg(70_000)
    ]
    for (const photo of photos) {
      const expected = await sharpSize(photo)
      expect(expected).not.toBe('fails')
      expect(jpegFrameSize(photo)).toEqual(expected)
    }
  })

  it('refuses a header cut short, a frame header missing, a segment running past the end', async () => {
    const photo = tinyJpeg(3000)
    const frameAt = photo.indexOf(Buffer.from([0xff, 0xc0]))
    for (const cut of [10, 1200, 2900, frameAt + 5]) {
      const truncated = Buffer.concat([photo.subarray(0, cut), Buffer.from([0xff, 0xd9])])
      expect(jpegFrameSize(truncated)).toHaveProperty('problem')
      expect(await sharpSize(truncated)).toBe('fails')
    }
    const noFrame = Buffer.from(photo)
    noFrame[frameAt + 1] = 0xfe // the SOF segment becomes a comment
    expect(jpegFrameSize(noFrame)).toEqual({ problem: '缺少帧头（SOF）' })
    expect(await sharpSize(noFrame)).toBe('fails')
  })

  it('never throws, and where it finds a size libvips finds the same one (damaged headers)', async () => {
    const photo = tinyJpeg(600)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(photo.length - 3), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), async (changes) => {
        const damaged = Buffer.from(photo)
        for (const [at, byte] of changes) damaged[at + 2] = byte
        const ours = jpegFrameSize(damaged)
        if (!('problem' in ours)) {
          const theirs = await sharpSize(damaged)
          if (theirs !== 'fails') expect(ours).toEqual(theirs)
        }
      }),
      { numRuns: 400 }
    )
  })
})
