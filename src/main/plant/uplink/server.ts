import { createHash } from 'node:crypto'
import { mkdir, open, rename } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import {
  enrolRequestSchema,
  lanesRequestSchema,
  passagesRequestSchema,
  PHOTO_HEADER,
  photoHeaderSchema,
  PLANT_PATHS,
  recordsRequestSchema
} from '../../core/plant-link'
import { BodyError, decodeUrlPart, discardBody, readJsonBody, requestUrl, sendJson } from '../../core/http/body'
import type { Verdict } from '@shared/contract'
import type { Log } from '../../core/log'
import type { Clock } from '../../core/time'
import type { EnrolledBooth, PlantStore } from '../store'

const JSON_LIMITS = { maxBytes: 4 * 1024 * 1024, maxDepth: 8, maxItems: 50_000 }
const MAX_PHOTO_BYTES = 8 * 1024 * 1024

export interface UplinkHandlerOptions {
  store: Pick<PlantStore, 'intake' | 'feed' | 'booths'>
  photosDir: string
  clock: Clock
  log: Log
  /** The city platform's verdict (the plant's client); absent: booths verify on their own. */
  verify?: (plate: string, colour: string, timeoutMs: number) => Promise<Verdict>
}

/**
 * What booths reach at the plant, over HTTPS: enrolment with a one-time code, then, with the booth's credential,
 * passages and photos up (exactly once by key: a resend is answered `duplicate`) and the change feed down. A
 * passage or photo of another gate than the booth's is refused. The requests are everything under /plant/, for a
 * server of the caller's: the plant's HTTPS host.
 */
export function uplinkHandler(options: UplinkHandlerOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { store, clock, log } = options

  async function booth(request: IncomingMessage): Promise<EnrolledBooth | null> {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(request.headers.authorization ?? '')
    return match ? store.booths.authenticate(match[1]!, clock()) : null
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request)
    if (!url) return sendJson(response, 400, { error: '请求地址无效' })
    if (request.method === 'POST' && url.pathname === PLANT_PATHS.enrol) {
      const input = enrolRequestSchema.safeParse(await readJsonBody(request, JSON_LIMITS))
      if (!input.success) return sendJson(response, 400, { error: '注册请求格式错误' })
      const enrolled = await store.booths.enrol(input.data.code, input.data.boothId, clock())
      if (!enrolled) return sendJson(response, 403, { error: '注册码无效、已使用或已过期' })
      log(`booth ${enrolled.booth.id} enrolled at gate ${enrolled.booth.gateCode}`)
      return sendJson(response, 200, { credential: enrolled.credential, gateCode: enrolled.booth.gateCode })
    }
    const who = await booth(request)
    if (!who) {
      await discardBody(request, MAX_PHOTO_BYTES)
      return sendJson(response, 401, { error: '岗亭未注册或凭证已吊销' })
    }
    if (request.method === 'POST' && url.pathname === PLANT_PATHS.passages) {
      const input = passagesRequestSchema.safeParse(await readJsonBody(request, JSON_LIMITS))
      if (!input.success) return sendJson(response, 400, { error: '通行记录格式错误' })
      if (input.data.passages.some((passage) => passage.gateCode !== who.gateCode)) return sendJson(response, 403, { error: '通行记录的门岗编号与本岗亭不符' })
      return sendJson(response, 200, { results: await store.intake.passages(who.id, input.data.passages, clock()) })
    }
    if (request.method === 'POST' && url.pathname === PLANT_PATHS.records) {
      const input = recordsRequestSchema.safeParse(await readJsonBody(request, JSON_LIMITS))
      if (!input.success) return sendJson(response, 400, { error: '上传记录格式错误' })
      return sendJson(response, 200, { results: await store.intake.records(who.id, input.data.records, clock()) })
    }
    if (request.method === 'POST' && url.pathname === PLANT_PATHS.lanes) {
      const input = lanesRequestSchema.safeParse(await readJsonBody(request, JSON_LIMITS))
      if (!input.success) return sendJson(response, 400, { error: '车道列表格式错误' })
      // A booth acts for its own gate only (as with its passages): lanes of other gates are not kept.
      const lanes = input.data.lanes.filter((lane) => lane.gateCode === who.gateCode)
      await store.booths.setLanes(who.id, lanes)
      return sendJson(response, 200, { kept: lanes.length })
    }
    if (request.method === 'PUT' && url.pathname.startsWith(`${PLANT_PATHS.photos}/`)) {
      const [lsh, zpbh] = url.pathname.slice(PLANT_PATHS.photos.length + 1).split('/').map((part) => decodeUrlPart(part) ?? '')
      const header = parseHeader(request.headers[PHOTO_HEADER])
      if (!lsh || !/^\d{12}[AB]\d{12}$/.test(lsh) || !zpbh || !/^\d{1,2}$/.test(zpbh) || !header) {
        await discardBody(request, MAX_PHOTO_BYTES)
        return sendJson(response, 400, { error: '照片请求格式错误' })
      }
      if (lsh.slice(10, 12) !== who.gateCode) {
        await discardBody(request, MAX_PHOTO_BYTES)
        return sendJson(response, 403, { error: '照片的门岗编号与本岗亭不符' })
      }
      const jpeg = await readBytes(request, MAX_PHOTO_BYTES)
      const path = join(lsh.slice(13, 19), `${lsh}_${zpbh}.jpg`)
      await writeDurably(join(options.photosDir, path), jpeg)
      const sha256 = createHash('sha256').update(jpeg).digest('hex')
      const [result] = await store.intake.photos([{ lsh, zpbh, path, sha256, bytes: jpeg.length, ...header }], clock())
      return sendJson(response, result === 'unknownPassage' ? 409 : 200, { results: [result] })
    }
    if (request.method === 'GET' && url.pathname === PLANT_PATHS.verify) {
      const plate = url.searchParams.get('plate') ?? ''
      const colour = url.searchParams.get('colour') ?? ''
      const timeoutMs = Math.min(Number(url.searchParams.get('timeoutMs') ?? 3000), 10_000)
      if (!options.verify) return sendJson(response, 503, { error: '工厂服务器未提供核验' })
      if (!plate || plate.length > 16 || !/^\d{1,2}$/.test(colour) || !Number.isFinite(timeoutMs) || timeoutMs < 1) return sendJson(response, 400, { error: '核验请求格式错误' })
      try {
        return sendJson(response, 200, { verdict: await options.verify(plate, colour, timeoutMs) })
      } catch (error) {
        return sendJson(response, 503, { error: `平台核验失败：${(error as Error).message}` })
      }
    }
    if (request.method === 'GET' && url.pathname === PLANT_PATHS.changes) {
      const after = Number(url.searchParams.get('after') ?? 0)
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 500), 2000)
      if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1) return sendJson(response, 400, { error: '修订号无效' })
      return sendJson(response, 200, await store.feed.since(after, limit))
    }
    await discardBody(request, MAX_PHOTO_BYTES)
    sendJson(response, 404, { error: '没有这个接口' })
  }

  return (request, response) =>
    handle(request, response).catch((error: unknown) => {
      if (error instanceof BodyError) return sendJson(response, error.status, { error: error.message })
      log(`plant uplink: ${(error as Error).stack ?? String(error)}`)
      if (!response.headersSent) sendJson(response, 500, { error: '工厂服务器内部错误，请稍后重试' })
      else response.destroy()
    })
}

function parseHeader(value: string | string[] | undefined): ReturnType<typeof photoHeaderSchema.parse> | null {
  if (typeof value !== 'string' || value.length > 16_384) return null
  try {
    const parsed = photoHeaderSchema.safeParse(JSON.parse(decodeURIComponent(value)))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function readBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        request.destroy()
        reject(new BodyError(413, '照片过大'))
      } else chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

/** Written to a temporary name, fsynced, then renamed: a crash leaves the old file or the whole new one. */
async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true })
  const temporary = `${file}.part`
  const handle = await open(temporary, 'w')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temporary, file)
}
