/** What the document reader makes of a picked, dropped or captured picture, and of a reading: pure where it can be. */
import { OCR_IMAGE_MAX_BASE64, type OcrField, type OcrReading } from '@shared/contract'
import { base64Of, imageTypeOf, vehicleTypeText } from './inputs'

/** A picked file larger than this is refused before it is decoded (a phone photo is 3–8 MB). */
export const MAX_PICK_MB = 16

export type PictureProblem = 'notImage' | 'unreadable' | 'tooLarge'

export class PictureError extends Error {
  constructor(readonly problem: PictureProblem) {
    super(problem)
  }
}

/** Longest side and JPEG quality tried in turn until the picture fits one API call. */
const SIZES: [number, number][] = [
  [2000, 0.9],
  [1600, 0.85],
  [1280, 0.8]
]

/**
 * A picked file as the reader takes it: JPEG/PNG told by its bytes, decoded by the browser (upright by its EXIF
 * orientation), scaled so its longest side is at most 2,000 px and re-encoded as JPEG — a 3–8 MB phone photo becomes
 * a few hundred KB that fit one call. Throws PictureError for anything else.
 */
export async function pictureFromFile(file: Blob): Promise<string> {
  if (file.size > MAX_PICK_MB * 1024 * 1024) throw new PictureError('tooLarge')
  if (!(await imageTypeOf(file))) throw new PictureError('notImage')
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    throw new PictureError('unreadable')
  }
  try {
    return await fitted(bitmap, bitmap.width, bitmap.height)
  } finally {
    bitmap.close()
  }
}

/** A frame of the document camera's video, as the reader takes it. */
export function pictureFromVideo(video: HTMLVideoElement): Promise<string> {
  return fitted(video, video.videoWidth, video.videoHeight)
}

async function fitted(source: CanvasImageSource, width: number, height: number): Promise<string> {
  for (const [side, quality] of SIZES) {
    const scale = Math.min(1, side / Math.max(width, height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(width * scale)
    canvas.height = Math.round(height * scale)
    canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
    if (!blob) throw new PictureError('unreadable')
    const base64 = await base64Of(blob)
    if (base64.length <= OCR_IMAGE_MAX_BASE64) return base64
  }
  throw new PictureError('tooLarge')
}

/** Why a field read is unsure: the rule it failed (Chinese) or null, and the reader's confidence in percent. */
export interface Unsure {
  problem: string | null
  percent: number
}

/** The form fields a reading fills (the 4.1.2 form's names; fuel is not one of them). */
export type FilledField = Exclude<OcrField['field'], 'fuelType'>

/**
 * The form values a reading gives, as the form shows them (a B7.7 code as "code name"), and the fields the admin must
 * check: low confidence or a failed rule, with the reason. A field whose rule found no value (a type not in B7.7)
 * keeps what the form had and is only marked.
 */
export function formValuesOf(reading: OcrReading): { values: Partial<Record<FilledField, string>>; toCheck: Partial<Record<FilledField, Unsure>> } {
  const values: Partial<Record<FilledField, string>> = {}
  const toCheck: Partial<Record<FilledField, Unsure>> = {}
  for (const field of reading.fields) {
    if (field.field === 'fuelType') continue
    if (field.value) values[field.field] = field.field === 'vehicleType' ? vehicleTypeText(field.value) : field.value
    if (field.low) toCheck[field.field] = { problem: field.problem, percent: Math.round(field.confidence * 100) }
  }
  return { values, toCheck }
}
