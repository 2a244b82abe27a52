import http from 'node:http'
import https from 'node:https'

/**
 * The platform client's requests: a POST of a ready body (and the probe's bodiless GET), answered by a status and a
 * text, on kept-alive connections. Plain node:http instead of axios: a backlog drain sends thousands of small records a second, and axios's
 * config merging, redirect wrapper and stream plumbing cost about twice the booth's CPU per call (bench/sync-drain).
 */
export interface PostOptions {
  contentType: string
  accept: string
  /** The whole exchange, from sending to the last byte of the reply. */
  timeoutMs: number
  signal?: AbortSignal | undefined
  maxReplyBytes: number
}

export interface PostReply {
  status: number
  text: string
}

/** Why no reply came, as one of the reasons the client reports. */
export class PostFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'refused' | 'closed' | 'cancelled' | 'too-large' | 'network',
    detail: string
  ) {
    super(detail)
  }
}

export class HttpPoster {
  private readonly agent: http.Agent
  private readonly request: typeof http.request

  constructor(private readonly baseUrl: URL) {
    const secure = baseUrl.protocol === 'https:'
    this.agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true })
    this.request = secure ? https.request : http.request
  }

  post(path: string, body: Buffer | string, options: PostOptions): Promise<PostReply> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
    return this.exchange('POST', path, { 'Content-Type': options.contentType, 'Content-Length': bytes.length, Accept: options.accept }, bytes, options)
  }

  /** A bodiless GET (the liveness probe): any status is an answer. */
  get(path: string, options: Omit<PostOptions, 'contentType'>): Promise<PostReply> {
    return this.exchange('GET', path, { Accept: options.accept }, null, options)
  }

  private exchange(method: 'GET' | 'POST', path: string, headers: http.OutgoingHttpHeaders, bytes: Buffer | null, options: Omit<PostOptions, 'contentType'>): Promise<PostReply> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new PostFailure('cancelled', 'request cancelled'))
      let settled = false
      const finish = (error: PostFailure | null, reply?: PostReply) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        if (error) {
          request.destroy()
          reject(error)
        } else resolve(reply!)
      }
      const request = this.request(
        new URL(this.baseUrl.pathname.replace(/\/+$/, '') + path, this.baseUrl),
        { method, agent: this.agent, headers },
        (response) => {
          const chunks: Buffer[] = []
          let size = 0
          response.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > options.maxReplyBytes) finish(new PostFailure('too-large', `reply over ${options.maxReplyBytes} bytes`))
            else chunks.push(chunk)
          })
          response.on('end', () => finish(null, { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
          response.on('error', (error) => finish(failureOf(error)))
        }
      )
      const timer = setTimeout(() => finish(new PostFailure('timeout', `no reply within ${options.timeoutMs} ms`)), options.timeoutMs)
      const onAbort = () => finish(new PostFailure('cancelled', 'request cancelled'))
      options.signal?.addEventListener('abort', onAbort, { once: true })
      request.on('error', (error) => finish(failureOf(error)))
      request.end(bytes ?? undefined)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

function failureOf(error: NodeJS.ErrnoException): PostFailure {
  if (error.code === 'ECONNREFUSED') return new PostFailure('refused', error.message)
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'socket hang up' || error.message === 'aborted') return new PostFailure('closed', error.message)
  if (error.code === 'ETIMEDOUT') return new PostFailure('timeout', error.message)
  return new PostFailure('network', error.code ?? error.message)
}
