import type { IncomingMessage } from 'node:http'
import { BodyError } from '../../core/http/body'

/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string
  filename: string | null
  contentType: string
  body: Buffer
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or null when it is not one. */
export function multipartBoundary(contentType: string): string | null {
  if (!/^multipart\/form-data\b/i.test(contentType)) return null
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType)
  return match ? (match[1] ?? match[2]!) : null
}

/** Reads a whole request body up to `maxBytes`; a body cut off by the sender is a BodyError, not a short body. */
export function readRawBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBytes) return Promise.reject(new BodyError(413, `请求体超过 ${maxBytes / 1024 / 1024} MB 上限`))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (error: BodyError | null) => {
      if (done) return
      done = true
      request.off('data', onData)
      if (error) {
        chunks.length = 0
        request.resume()
        reject(error)
      } else resolve(Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) return finish(new BodyError(413, `请求体超过 ${maxBytes / 1024 / 1024} MB 上限`))
      chunks.push(chunk)
    }
    request.on('data', onData)
    request.once('end', () => finish(null))
    request.once('error', (error) => finish(new BodyError(400, `请求体读取失败：${error.message}`)))
    request.once('close', () => finish(new BodyError(400, '请求体未收完，连接已断开')))
  })
}

const CRLF_CRLF = Buffer.from('\r\n\r\n')
/** Header block of one part, at most this long: a camera's parts carry two or three short headers. */
const MAX_PART_HEADER = 4 * 1024

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts with Buffer searches (native, a few ms for 8 MB).
 * A body without its closing delimiter, a part without a blank line after its headers or without a
 * Content-Disposition name is refused with a BodyError naming what is wrong.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const next = Buffer.from(`\r\n--${boundary}`)
  let at = body.indexOf(delimiter)
  if (at < 0) throw new BodyError(400, 'multipart 请求体中找不到分隔符（boundary）')
  const parts: FormPart[] = []
  for (;;) {
    at += delimiter.length
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new BodyError(400, `multipart 第 ${parts.length + 1} 部分的分隔符格式错误`)
    const headerEnd = body.indexOf(CRLF_CRLF, at + 2)
    if (headerEnd < 0 || headerEnd - at > MAX_PART_HEADER) throw new BodyError(400, `multipart 第 ${parts.length + 1} 部分没有完整的头部（请求体不完整）`)
    const headers = body.subarray(at + 2, headerEnd).toString('latin1')
    const end = body.indexOf(next, headerEnd + 4)
    if (end < 0) throw new BodyError(400, 'multipart 请求体不完整：缺少结束分隔符（摄像机推送被截断）')
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? null
    const name = disposition ? /;\s*name="([^"]*)"/i.exec(disposition)?.[1] : undefined
    if (name === undefined) throw new BodyError(400, `multipart 第 ${parts.length + 1} 部分缺少 Content-Disposition 名称`)
    const filename = disposition ? (/;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? null) : null
    const contentType = /^content-type:\s*([^\r\n]+)$/im.exec(headers)?.[1]?.trim() ?? ''
    parts.push({ name: Buffer.from(name, 'latin1').toString('utf8'), filename, contentType, body: body.subarray(headerEnd + 4, end) })
    at = end + 2
  }
}
