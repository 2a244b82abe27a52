/** The messages between the reader (main thread) and its worker thread. */
import type { OcrLine } from './fields'

export interface ReadRequest {
  id: number
  image: Uint8Array
}

export type ReadReply =
  | { id: number; ok: true; jpeg: Uint8Array; degrees: number; lines: OcrLine[] }
  /** `notImage`: the bytes do not decode as a picture; `failed`: the reader itself failed. */
  | { id: number; ok: false; reason: 'notImage' | 'failed'; message: string }
