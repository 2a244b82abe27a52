import type { OcrDocument, OcrReading } from '@shared/contract'
import { ApiFailure } from '../api/errors'
import { classify, extractFields, type KnownDocument } from './fields'
import { EngineError, type OcrEngine } from './engine'

/** Bytes a picture may have once decoded from base64 (the contract bounds the text; this is what it can hold). */
const MAX_IMAGE_BYTES = 750_000

const NOT_AN_IMAGE = '所选文件不是图片，请选择 JPEG 或 PNG 格式的证件照片'
const NO_TEXT = '图片中没有识别到文字，请将证件放平、对准并避开反光后重新拍摄'
const NOT_A_DOCUMENT = '未识别为行驶证或随车清单，请换一张证件照片（表单未改动）'

/**
 * Reads one picture of a 行驶证 page or a 随车清单 into the form's fields. Refuses, with a message for the admin, bytes
 * that are no JPEG/PNG, a picture without text and one that is none of the three documents; never files anything.
 */
export class OcrReader {
  constructor(
    private readonly engine: OcrEngine,
    private readonly today: () => Date
  ) {}

  async read(requested: OcrDocument, imageBase64: string): Promise<OcrReading> {
    const started = performance.now()
    const image = Buffer.from(imageBase64, 'base64')
    if (image.byteLength > MAX_IMAGE_BYTES) throw refusal('图片过大，请重新拍摄或选择较小的图片')
    if (!isJpegOrPng(image)) throw refusal(NOT_AN_IMAGE)
    let reading
    try {
      reading = await this.engine.read(image)
    } catch (error) {
      if (!(error instanceof EngineError)) throw error
      if (error.reason === 'notImage') throw refusal(`图片无法打开（文件损坏或不完整），请重新选择`)
      throw new ApiFailure('unavailable', error.message)
    }
    if (reading.lines.length === 0) throw refusal(NO_TEXT)
    const document = this.documentOf(requested, reading.lines)
    const fields = document ? extractFields(document, reading.lines, this.today()) : []
    if (!document || fields.length === 0) throw refusal(NOT_A_DOCUMENT)
    return { document, fields, straightened: reading.degrees, jpegBase64: reading.jpeg.toString('base64'), elapsedMs: Math.round(performance.now() - started) }
  }

  /** The document the admin named if the picture holds its labels, else the one its words tell. */
  private documentOf(requested: OcrDocument, lines: Parameters<typeof classify>[0]): KnownDocument | null {
    if (requested !== 'auto' && extractFields(requested, lines, this.today()).length > 0) return requested
    return classify(lines)
  }
}

function refusal(message: string): ApiFailure {
  return new ApiFailure('invalid_input', message, [{ path: 'imageBase64', message }])
}

function isJpegOrPng(bytes: Buffer): boolean {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return true
  return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
}
