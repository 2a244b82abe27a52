import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { z } from 'zod'
import { plateColourSchema, plateSchema } from '@shared/contract'
import { UnknownLaneError, type PlateRead, type PlateReadResult } from '../lane'
import { BodyError, listen, readJsonBody, sendJson } from '../http/body'

/** Photos arrive base64-encoded; a few MB of JPEG is plenty for a plate camera. */
const BODY_LIMIT = 8 * 1024 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

const base64Jpeg = z
  .string()
  .transform((text) => text.replace(/^data:image\/jpeg;base64,/, '').replace(/\s+/g, ''))
  .refine((text) => BASE64.test(text), 'image must be base64')

/** The generic JSON format of POST /lpr/{laneId}; see docs/lpr-push.md. */
export const lprPushSchema = z
  .object({
    plate: plateSchema,
    colour: plateColourSchema,
    confidence: z.number().min(0).max(1).optional(),
    recognizedAt: z.iso.datetime({ offset: true }).optional(),
    images: z.object({ front: base64Jpeg.optional(), rear: base64Jpeg.optional() }).strict().optional()
  })
  .strict()

export type LprPush = z.output<typeof lprPushSchema>

export function plateReadFromPush(laneId: string, push: LprPush, now: number): PlateRead {
  const photos: PlateRead['photos'] = []
  if (push.images?.front) photos.push({ zpbh: '1', jpeg: Buffer.from(push.images.front, 'base64') })
  if (push.images?.rear) photos.push({ zpbh: '2', jpeg: Buffer.from(push.images.rear, 'base64') })
  return {
    laneId,
    plate: push.plate,
    colour: push.colour,
    at: push.recognizedAt ? Date.parse(push.recognizedAt) : now,
    source: 'lpr',
    photos
  }
}

export interface LprIngress {
  url: string
  close(): Promise<void>
}

/** The HTTP endpoint plate cameras push their reads to: POST /lpr/{laneId}. */
export async function startLprIngress(options: {
  host: string
  port: number
  handle(read: PlateRead): Promise<PlateReadResult>
  now?: () => number
}): Promise<LprIngress> {
  const now = options.now ?? Date.now
  const server = createServer((request, response) => {
    void respond(request, response).catch((error: unknown) => sendJson(response, 500, { error: { code: 'internal', message: (error as Error).message } }))
  })

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/lpr\/([^/?]+)$/.exec(new URL(request.url ?? '/', 'http://host').pathname)
    if (!match || request.method !== 'POST') return sendJson(response, 404, { error: { code: 'not_found', message: 'POST /lpr/{laneId}' } })
    const laneId = decodeURIComponent(match[1]!)
    let body: unknown
    try {
      body = await readJsonBody(request, BODY_LIMIT)
    } catch (error) {
      if (!(error instanceof BodyError)) throw error
      return sendJson(response, error.status, { error: { code: 'invalid_input', message: error.message } })
    }
    const push = lprPushSchema.safeParse(body)
    if (!push.success) {
      const issues = push.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
      return sendJson(response, 400, { error: { code: 'invalid_input', message: issues.map((i) => `${i.path}: ${i.message}`).join('；'), issues } })
    }
    try {
      const { outcome, passage, warnings } = await options.handle(plateReadFromPush(laneId, push.data, now()))
      // A truck behind the one in the lane waits its turn: accepted, decided later.
      if (!passage) return sendJson(response, 202, { outcome, warnings })
      sendJson(response, 201, { outcome, lsh: passage.lsh, decision: passage.decision, reasonText: passage.reasonText, warnings })
    } catch (error) {
      if (error instanceof UnknownLaneError) return sendJson(response, 404, { error: { code: 'unknown_lane', message: error.message } })
      throw error
    }
  }

  const port = await listen(server, options.host, options.port)
  return {
    url: `http://${options.host}:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
