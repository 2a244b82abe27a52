import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { z } from 'zod'
import { plateColourSchema, plateSchema } from '@shared/contract'
import { UnknownLaneError, type PlateRead, type PlateReadResult } from '../lane'
import { fieldIssues, issuesText } from '../../core/api/errors'
import { BodyError, listen, readJsonBody, sendJson } from '../../core/http/body'
import { base64Jpeg } from './base64-jpeg'
import { isVzenithPush, plateReadFromVzenith, vzenithPushSchema } from './vzenith'

/** Photos arrive base64-encoded; a few MB of JPEG is plenty for a plate camera. */
const BODY_LIMIT = 8 * 1024 * 1024

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

type ParsedPush =
  | { format: 'generic' | 'vzenith'; read: PlateRead; confidence: number | null }
  | { issues: { path: string; message: string }[] }

/** Recognises the body's format (generic, or a vendor's) and maps it onto a plate read. */
export function parsePush(laneId: string, body: unknown, now: number): ParsedPush {
  if (isVzenithPush(body)) {
    const push = vzenithPushSchema.safeParse(body)
    if (!push.success) return { issues: fieldIssues(push.error) }
    return { format: 'vzenith', ...plateReadFromVzenith(laneId, push.data, now) }
  }
  const push = lprPushSchema.safeParse(body)
  if (!push.success) return { issues: fieldIssues(push.error) }
  return { format: 'generic', read: plateReadFromPush(laneId, push.data, now), confidence: push.data.confidence ?? null }
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
    const parsed = parsePush(laneId, body, now())
    if ('issues' in parsed) {
      const { issues } = parsed
      return sendJson(response, 400, { error: { code: 'invalid_input', message: issuesText(issues), issues } })
    }
    try {
      const { outcome, passage, warnings } = await options.handle(parsed.read)
      const confidence = parsed.confidence
      // A truck behind the one in the lane waits its turn: accepted, decided later.
      const reply = passage
        ? { outcome, lsh: passage.lsh, decision: passage.decision, reasonText: passage.reasonText, confidence, warnings }
        : { outcome, confidence, warnings }
      if (parsed.format === 'generic') return sendJson(response, passage ? 201 : 202, reply)
      // Vzenith cameras read their own reply: info "no" keeps the camera's IO from lifting the arm, because the
      // booth opens the barrier itself once the lane has decided.
      sendJson(response, 200, { Response_AlarmInfoPlate: { info: 'no' }, ...reply })
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
