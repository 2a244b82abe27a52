import type { IncomingMessage, ServerResponse } from 'node:http'

export function readBody(request: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) request.destroy(new Error('body too large'))
      else chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

export function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? ''
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

/** The camera's own push to the booth, as a camera posts it; returns the booth's answer. */
export async function postToBooth(url: string, body: Buffer | string, contentType: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  try {
    const reply = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body, signal: AbortSignal.timeout(timeoutMs) })
    return { status: reply.status, body: await reply.text() }
  } catch (error) {
    return { status: 0, body: (error as Error).message }
  }
}
