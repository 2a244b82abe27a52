/** A small strict multipart/form-data parser: enough for put_file's `file` + `info` parts (ERRATA E28). */
export interface Part {
  name: string
  filename: string | null
  contentType: string | null
  data: Buffer
}

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  if (!boundary) throw new Error('multipart body without boundary')
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  const parts: Part[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw new Error('multipart boundary not found')
  for (;;) {
    start += delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') return parts
    if (body.subarray(start, start + 2).toString() !== '\r\n') throw new Error('malformed multipart delimiter')
    const headerEnd = body.indexOf('\r\n\r\n', start)
    const next = body.indexOf(delimiter, start)
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw new Error('truncated multipart part')
    const headers = body.subarray(start + 2, headerEnd).toString('utf8')
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)
    const name = disposition && /\bname="([^"]*)"/.exec(disposition[1]!)
    if (!name) throw new Error('multipart part without a name')
    const filename = /\bfilename="([^"]*)"/.exec(disposition![1]!)
    parts.push({
      name: name[1]!,
      filename: filename ? filename[1]! : null,
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null,
      data: body.subarray(headerEnd + 4, next - 2)
    })
    start = next
  }
}
