import type { IncomingMessage, ServerResponse } from 'node:http'

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'BodyError'
  }
}

/** Reads a JSON request body of at most `limitBytes`; a clear BodyError (413/400/415) otherwise. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new BodyError(415, 'Content-Type must be application/json')
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limitBytes) throw new BodyError(413, `body larger than ${limitBytes} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limitBytes) throw new BodyError(413, `body larger than ${limitBytes} bytes`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new BodyError(400, 'body is not valid JSON')
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  response.end(text)
}

/** Listens and resolves with the bound port (port 0 picks a free one). */
export function listen(server: import('node:http').Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}
