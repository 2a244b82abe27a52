import type { IncomingMessage, ServerResponse } from 'node:http'
import { JsonShapeError, JsonShapeScanner, parseScannedJson, type JsonLimits } from './json-scan'

export { LargeText, type JsonLimits } from './json-scan'

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'BodyError'
  }
}

/**
 * Reads a JSON request body within `limits`; a clear BodyError (413/400/415) otherwise. Depth and item count are
 * checked on each chunk as it arrives, so a deeply nested or many-item body is refused before it is parsed (parsing
 * one would hold the event loop for seconds). After a refusal the rest of the body is read and dropped, so the
 * sender still gets the answer; a sender that keeps going past another `maxBytes` is cut off.
 */
export function readJsonBody(request: IncomingMessage, limits: JsonLimits): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) return refuse(request, limits, new BodyError(415, 'Content-Type 必须是 application/json'))
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limits.maxBytes) return refuse(request, limits, tooLarge(limits))
  const scanner = new JsonShapeScanner(limits)
  const chunks: Buffer[] = []
  let size = 0
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length
      try {
        if (size > limits.maxBytes) throw tooLarge(limits)
        scanner.feed(chunk)
      } catch (error) {
        cleanUp()
        chunks.length = 0
        reject(error instanceof JsonShapeError ? new BodyError(400, error.message) : error)
        void discardBody(request, limits.maxBytes)
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanUp()
      if (chunks.every(isBlank)) return resolve({})
      try {
        resolve(parseScannedJson(chunks, scanner.largeStrings, limits.maxParsedBytes))
      } catch (error) {
        reject(new BodyError(400, error instanceof JsonShapeError ? error.message : '请求体不是有效的 JSON'))
      }
    }
    const onError = (error: Error) => {
      cleanUp()
      reject(new BodyError(400, `请求体读取失败：${error.message}`))
    }
    const onClose = () => {
      cleanUp()
      reject(new BodyError(400, '请求体未收完，连接已断开'))
    }
    const cleanUp = () => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
      request.off('close', onClose)
    }
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onError)
    request.on('close', onClose)
  })
}

function isBlank(body: Buffer): boolean {
  for (const byte of body) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false
  return true
}

function tooLarge(limits: JsonLimits): BodyError {
  return new BodyError(413, `请求体超过 ${limits.maxBytes} 字节，已拒收`)
}

function refuse(request: IncomingMessage, limits: JsonLimits, error: BodyError): Promise<never> {
  void discardBody(request, limits.maxBytes)
  return Promise.reject(error)
}

/**
 * Reads and drops the rest of a refused request's body, so its sender finishes sending and reads the answer (a
 * socket closed under an unread upload resets, and the answer is lost with it); past `maxBytes` the socket is closed.
 */
export function discardBody(request: IncomingMessage, maxBytes: number): Promise<void> {
  if (request.complete) return Promise.resolve()
  let dropped = 0
  return new Promise((resolve) => {
    request.on('data', (chunk: Buffer) => {
      dropped += chunk.length
      if (dropped > maxBytes) request.socket.destroy()
    })
    request.once('end', resolve)
    request.once('close', resolve)
  })
}

/** At most `bytes` of request bodies held at once on a port: what a burst of large pushes can take in memory. */
export class BodyBudget {
  private used = 0

  constructor(readonly bytes: number) {}

  /** Reserves `size` bytes until the returned release is called; null when that would pass the budget. */
  take(size: number): (() => void) | null {
    if (this.used + size > this.bytes) return null
    this.used += size
    let released = false
    return () => {
      if (released) return
      released = true
      this.used -= size
    }
  }

  /** What a request may use: its declared length, or the whole limit when it does not declare one. */
  static sizeOf(request: IncomingMessage, maxBytes: number): number {
    const declared = Number(request.headers['content-length'])
    return Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxBytes) : maxBytes
  }
}

/** A percent-decoded URL part, or null when its `%` escapes are malformed (decodeURIComponent would throw). */
export function decodeUrlPart(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/** The request's URL, or null when it cannot be parsed. */
export function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://host')
  } catch {
    return null
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers
  })
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
