/**
 * A document photo made fit to read: decoded and bounded, turned upright by its EXIF orientation, its contrast
 * stretched (glare and a dim document camera), then turned level by the skew of its text and cropped to the text
 * the reader found. Measuring the skew and the crop are pure functions below; sharp does the pixels.
 */
import sharp from 'sharp'
import type { OcrLine } from './fields'
import { bounds } from './fields'

/** Longest side the reader works at: small print stays legible, and a 12-megapixel photo reads in well under 2 s. */
export const WORKING_SIZE = 1280
/** Pixels a picture may have at all (a 20-megapixel phone photo is 20 M); more is refused before decoding. */
export const MAX_INPUT_PIXELS = 40_000_000
/** Skews below this are left alone (the reader copes, and turning blurs a little). */
const MIN_SKEW_DEGREES = 0.8
const WHITE = { r: 255, g: 255, b: 255 }

/** A picture decoded at working size, upright, with stretched contrast, as JPEG; throws for bytes that are no image. */
export async function normalisePicture(input: Buffer): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: WHITE })
    .normalise({ lower: 1, upper: 99 })
    .jpeg({ quality: 92 })
    .toBuffer({ resolveWithObject: true })
  return { jpeg: data, width: info.width, height: info.height }
}

/** Skews tried, in degrees either way: a page laid on a document camera or photographed by hand. */
const MAX_SKEW_DEGREES = 15
/** The width the skew is measured at: enough for the lines to show, cheap to project many times. */
const SKEW_SAMPLE_WIDTH = 640

/**
 * The skew of the text in degrees (positive: the lines fall to the right), by projection: the picture's edge pixels
 * (where the brightness jumps, as along every stroke of print) are summed along lines of each candidate slope; at the
 * text's own slope the sums peak on the lines and drop between them, which the variance of the sums measures. Edges,
 * not dark pixels, so a dark desk around the page does not count. Coarse steps of 0.5°, then 0.1° around the best.
 */
export function skewDegrees(gray: Uint8Array, width: number, height: number): number {
  const xs: number[] = []
  const ys: number[] = []
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const at = y * width + x
      if (Math.abs(gray[at + 1]! - gray[at - 1]!) > 60) {
        xs.push(x)
        ys.push(y)
      }
    }
  }
  if (xs.length < 200) return 0
  const score = (degrees: number) => {
    const slope = Math.tan((degrees * Math.PI) / 180)
    const offset = Math.ceil(width * Math.abs(slope)) + 1
    const rows = new Float64Array(height + 2 * offset)
    for (let i = 0; i < xs.length; i++) rows[Math.round(ys[i]! - xs[i]! * slope) + offset]! += 1
    let sum = 0
    let squares = 0
    for (const count of rows) {
      sum += count
      squares += count * count
    }
    return squares - (sum * sum) / rows.length
  }
  const best = (from: number, to: number, step: number) => {
    let found = { degrees: 0, score: -Infinity }
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const value = score(degrees)
      if (value > found.score) found = { degrees, score: value }
    }
    return found.degrees
  }
  const coarse = best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.5)
  return Math.round(best(coarse - 0.5, coarse + 0.5, 0.1) * 10) / 10
}

/** A small grey copy of a picture, for measuring. */
async function sample(jpeg: Buffer): Promise<{ gray: Uint8Array; width: number; height: number; scale: number }> {
  const { data, info } = await sharp(jpeg).greyscale().resize({ width: SKEW_SAMPLE_WIDTH, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true })
  const { width } = await sharp(jpeg).metadata()
  return { gray: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, scale: (width ?? info.width) / info.width }
}

/**
 * Where the print is on a level picture: the rows and columns holding edge pixels (≥ 2 % of the other side), with a
 * margin of 3 %. The desk around a page and the corners a turn adds have few edges per row or column and fall
 * outside. Null when nothing stands out.
 */
export function printBox(gray: Uint8Array, width: number, height: number): CropBox | null {
  const rows = new Uint32Array(height)
  const columns = new Uint32Array(width)
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const at = y * width + x
      if (Math.abs(gray[at + 1]! - gray[at - 1]!) > 60) {
        rows[y]!++
        columns[x]!++
      }
    }
  }
  const span = (counts: Uint32Array, least: number) => {
    let first = -1
    let last = -1
    counts.forEach((count, index) => {
      if (count < least) return
      if (first < 0) first = index
      last = index
    })
    return first < 0 ? null : { first, last }
  }
  const ys = span(rows, Math.max(8, width * 0.02))
  const xs = span(columns, Math.max(8, height * 0.02))
  if (!ys || !xs) return null
  const margin = Math.round(Math.max(width, height) * 0.03)
  const left = Math.max(0, xs.first - margin)
  const top = Math.max(0, ys.first - margin)
  const right = Math.min(width, xs.last + 1 + margin)
  const bottom = Math.min(height, ys.last + 1 + margin)
  return { left, top, width: right - left, height: bottom - top }
}

export interface CropBox {
  left: number
  top: number
  width: number
  height: number
}

/** The text's bounding box with a margin of 4 % of the picture, inside the picture; null when there is no text. */
export function textCrop(lines: readonly OcrLine[], width: number, height: number): CropBox | null {
  if (lines.length === 0) return null
  const boxes = lines.map(bounds)
  const margin = Math.round(Math.max(width, height) * 0.04)
  const left = Math.max(0, Math.floor(Math.min(...boxes.map((box) => box.left)) - margin))
  const top = Math.max(0, Math.floor(Math.min(...boxes.map((box) => box.top)) - margin))
  const right = Math.min(width, Math.ceil(Math.max(...boxes.map((box) => box.right)) + margin))
  const bottom = Math.min(height, Math.ceil(Math.max(...boxes.map((box) => box.bottom)) + margin))
  if (right - left < 32 || bottom - top < 32) return null
  return { left, top, width: right - left, height: bottom - top }
}

export interface Straightened {
  jpeg: Buffer
  degrees: number
  lines: readonly OcrLine[]
}

/**
 * Turns a normalised picture level by the skew of its text, cuts it down to where the print is (the desk around a
 * document camera's page, the hand holding a phone photo's licence), reads it once, and crops it to the text read
 * for filing.
 */
export async function readStraight(picture: { jpeg: Buffer; width: number; height: number }, read: (jpeg: Buffer) => Promise<OcrLine[]>): Promise<Straightened> {
  const first = await sample(picture.jpeg)
  const skew = skewDegrees(first.gray, first.width, first.height)
  const turn = Math.abs(skew) >= MIN_SKEW_DEGREES
  let level = picture
  if (turn) {
    const turned = await sharp(picture.jpeg).rotate(-skew, { background: WHITE }).jpeg({ quality: 92 }).toBuffer({ resolveWithObject: true })
    level = { jpeg: turned.data, width: turned.info.width, height: turned.info.height }
  }
  // The reader's time grows with the area: read only where the print is.
  const levelSample = turn ? await sample(level.jpeg) : first
  const print = printBox(levelSample.gray, levelSample.width, levelSample.height)
  if (print) {
    const box = scaled(print, levelSample.scale, level.width, level.height)
    if (box.width * box.height < level.width * level.height * 0.9) {
      level = { jpeg: await sharp(level.jpeg).extract(box).jpeg({ quality: 92 }).toBuffer(), width: box.width, height: box.height }
    }
  }
  const lines = await read(level.jpeg)
  const crop = textCrop(lines, level.width, level.height)
  const jpeg = crop ? await sharp(level.jpeg).extract(crop).jpeg({ quality: 90 }).toBuffer() : level.jpeg
  return { jpeg, degrees: turn ? -skew : 0, lines }
}

function scaled(box: CropBox, scale: number, width: number, height: number): CropBox {
  const left = Math.max(0, Math.floor(box.left * scale))
  const top = Math.max(0, Math.floor(box.top * scale))
  return { left, top, width: Math.min(width - left, Math.ceil(box.width * scale)), height: Math.min(height - top, Math.ceil(box.height * scale)) }
}
