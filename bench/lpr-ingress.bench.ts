/**
 * What a large plate push costs the main loop: the streaming shape check and the parse of the rest against a plain
 * JSON.parse of the same body, refusing an 8 MB nested body, and decoding an 8 MB base64 photo in slices (its total
 * time and the largest event-loop delay while it runs).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { decodeBase64Jpeg } from '../src/main/booth/ingress/base64-jpeg'
import { JsonShapeError, JsonShapeScanner, LargeText, parseScannedJson, type JsonLimits } from '../src/main/core/http/json-scan'
import { tinyJpeg } from '../test/integration/support'
import { heading, report, sampleMicros, summarize } from './support'

const LIMITS: JsonLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 16, maxItems: 2_000, largeStringBytes: 4 * 1024, maxParsedBytes: 256 * 1024 }
const CHUNK = 64 * 1024

/** A body as the socket hands it over: 64 KB chunks. */
function chunked(body: Buffer): Buffer[] {
  const chunks: Buffer[] = []
  for (let at = 0; at < body.length; at += CHUNK) chunks.push(Buffer.from(body.subarray(at, at + CHUNK)))
  return chunks
}

const push = Buffer.from(JSON.stringify({ plate: '豫A12345', colour: '1', images: { front: tinyJpeg(6_000_000).toString('base64') } }))
const pushChunks = chunked(push)
const nested = chunked(Buffer.from('['.repeat(4 * 1024 * 1024) + ']'.repeat(4 * 1024 * 1024)))

heading(`an ${(push.length / 1024 / 1024).toFixed(1)} MB push (a 6 MB photo)`)
const plain = summarize(await sampleMicros(20, () => JSON.parse(push.toString('utf8')), 3))
report('whole body: toString + JSON.parse (the old way)', plain, undefined)
let largest = 0
const scanned = summarize(
  await sampleMicros(
    20,
    () => {
      const scanner = new JsonShapeScanner(LIMITS)
      for (const chunk of pushChunks) {
        const started = process.hrtime.bigint()
        scanner.feed(chunk)
        largest = Math.max(largest, Number(process.hrtime.bigint() - started) / 1000)
      }
      return parseScannedJson(pushChunks, scanner.largeStrings, LIMITS.maxParsedBytes)
    },
    3
  )
)
report('shape scan of every chunk + parse of the rest', scanned, plain)
console.log(`largest single chunk scan: ${largest.toFixed(0)} µs`)

heading('an 8 MB nested body')
report(
  'refused at the first chunk over the depth',
  summarize(
    await sampleMicros(
      50,
      () => {
        const scanner = new JsonShapeScanner(LIMITS)
        try {
          for (const chunk of nested) scanner.feed(chunk)
        } catch (error) {
          if (!(error instanceof JsonShapeError)) throw error
        }
      },
      5
    )
  )
)

heading('decoding the 6 MB photo (8 MB of base64) in slices')
const scannerForPhoto = new JsonShapeScanner(LIMITS)
for (const chunk of pushChunks) scannerForPhoto.feed(chunk)
const body = parseScannedJson(pushChunks, scannerForPhoto.largeStrings) as { images: { front: LargeText } }
const delay = monitorEventLoopDelay({ resolution: 1 })
const timer = setInterval(() => {}, 1)
delay.enable()
const decodes = summarize(await sampleMicros(10, () => decodeBase64Jpeg(body.images.front), 2))
delay.disable()
clearInterval(timer)
report('decodeBase64Jpeg (total, with a turn between slices)', decodes, undefined)
report('event-loop delay while decoding', { count: delay.count, p50: delay.percentile(50) / 1000, p99: delay.percentile(99) / 1000, mean: delay.mean / 1000 })
console.log(`largest event-loop delay while decoding: ${(delay.max / 1e6).toFixed(1)} ms`)
