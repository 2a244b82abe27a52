import { existsSync } from 'node:fs'
import { ocrCommands } from '@shared/contract'
import { ApiFailure } from '../api/errors'
import { defineArea } from '../root/area'
import { WorkerOcrEngine, type OcrEngine } from './engine'
import { OcrReader } from './reader'

const BEIJING_OFFSET_MS = 8 * 3600_000

/**
 * Document reading (证件识别, docs/ocr.md): a picture of a 行驶证 page or a 随车清单 read offline into the 4.1.2
 * form's fields. The engine (a worker thread with the PaddleOCR models) starts on the first picture; `engine` lets a
 * test or benchmark give its own.
 */
export function ocrArea({ engine }: { engine?: OcrEngine } = {}) {
  return defineArea({
    name: 'ocr',
    needs: ['clock'],
    provides: [],
    commands: ocrCommands,
    create({ clock }) {
      const used = engine ?? lazyWorkerEngine()
      // Document dates are Beijing days.
      const reader = new OcrReader(used, () => new Date(clock() + BEIJING_OFFSET_MS))
      return {
        provides: {},
        handlers: { 'ocr.read': ({ document, imageBase64 }) => reader.read(document, imageBase64) },
        stop: () => used.close()
      }
    }
  })
}

/** The built worker, beside the entry files (out/main/ocr-worker.js), found when the first picture comes. */
function lazyWorkerEngine(): OcrEngine {
  let engine: WorkerOcrEngine | null = null
  return {
    read(image) {
      if (!engine) {
        const workerUrl = [new URL('./ocr-worker.js', import.meta.url), new URL('../ocr-worker.js', import.meta.url)].find((url) => existsSync(url))
        if (!workerUrl) return Promise.reject(new ApiFailure('unavailable', '证件识别组件缺失，请重新安装本程序'))
        engine = new WorkerOcrEngine({ workerUrl })
      }
      return engine.read(image)
    },
    close: async () => engine?.close()
  }
}
