import { request, type IncomingHttpHeaders } from 'node:http'

export interface RawReply {
  status: number
  headers: IncomingHttpHeaders
  body: any
}

/**
 * One HTTP request with node:http, for what fetch cannot do: send from another local address (127.0.0.2 is an
 * "unlisted camera" on this machine), set Host or Origin, or send a path with a malformed % escape as is.
 */
export function send(
  url: string,
  body: string | Buffer | null,
  options: { method?: string; localAddress?: string; headers?: Record<string, string>; path?: string } = {}
): Promise<RawReply> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'POST',
        path: options.path ?? `${target.pathname}${target.search}`,
        localAddress: options.localAddress,
        headers: { ...(body !== null ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...options.headers },
        agent: false
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = text
          try {
            parsed = text ? JSON.parse(text) : null
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed })
        })
        response.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(body ?? undefined)
  })
}

/** A plate push from `localAddress` (default 127.0.0.1). */
export function pushFrom(url: string, push: unknown, options: { localAddress?: string; headers?: Record<string, string> } = {}): Promise<RawReply> {
  return send(url, JSON.stringify(push), options)
}
