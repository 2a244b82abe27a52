/**
 * The reading engine as the main thread sees it: one worker thread (worker.ts), started on the first picture and kept,
 * so the event loop only hands over the bytes and takes the lines back. A worker that dies is replaced on the next
 * picture; a picture that takes too long ends its worker.
 */
import { Worker } from 'node:worker_threads'
import type { OcrLine } from './fields'
import type { ReadReply, ReadRequest } from './protocol'

export interface EngineReading {
  /** The straightened, cropped picture. */
  jpeg: Buffer
  degrees: number
  lines: OcrLine[]
}

/** Why the engine could not read a picture: the bytes are no picture, or the engine itself failed or is busy. */
export class EngineError extends Error {
  override name = 'EngineError'
  constructor(
    readonly reason: 'notImage' | 'failed' | 'busy',
    message: string
  ) {
    super(message)
  }
}

export interface OcrEngine {
  read(image: Buffer): Promise<EngineReading>
  close(): Promise<void>
}

export interface WorkerEngineOptions {
  /** The worker's script (the built out/main/ocr-worker.js). */
  workerUrl: URL
  /** Pictures waiting at most; more are refused as busy. */
  maxQueued?: number
  /** One picture may take this long (the first one also loads the models). */
  timeoutMs?: number
}

interface Pending {
  resolve(reading: EngineReading): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

export class WorkerOcrEngine implements OcrEngine {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly options: WorkerEngineOptions) {}

  read(image: Buffer): Promise<EngineReading> {
    if (this.pending.size >= (this.options.maxQueued ?? 4)) return Promise.reject(new EngineError('busy', '证件识别正忙，请稍后重试'))
    const worker = this.ensureWorker()
    const id = this.nextId++
    return new Promise<EngineReading>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(new EngineError('failed', '证件识别超时'))
        void worker.terminate()
      }, this.options.timeoutMs ?? 30_000)
      this.pending.set(id, { resolve, reject, timer })
      // A copy the worker owns: the caller's buffer may be a slice of a larger one.
      const bytes = new Uint8Array(image)
      const request: ReadRequest = { id, image: bytes }
      worker.postMessage(request, [bytes.buffer])
    })
  }

  async close(): Promise<void> {
    this.failAll(new EngineError('failed', '证件识别已停止'))
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.options.workerUrl)
    worker.on('message', (reply: ReadReply) => this.settle(reply))
    worker.on('error', (error) => this.failAll(new EngineError('failed', `证件识别组件出错：${error.message}`)))
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null
      this.failAll(new EngineError('failed', '证件识别组件已退出'))
    })
    worker.unref()
    this.worker = worker
    return worker
  }

  private settle(reply: ReadReply): void {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    clearTimeout(waiting.timer)
    if (reply.ok) waiting.resolve({ jpeg: Buffer.from(reply.jpeg), degrees: reply.degrees, lines: reply.lines })
    else waiting.reject(new EngineError(reply.reason, reply.message))
  }

  private failAll(error: EngineError): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer)
      this.pending.delete(id)
      waiting.reject(error)
    }
  }
}
