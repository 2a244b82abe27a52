import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { dictionaries, formatSpecDateTime } from '@shared/spec'
import { parseMultipart } from './multipart'
import { parseInfoJson } from './info-json'
import { decodeBase64, flatIpctypeOf, jpegProblem, validateValue, type CityReading } from './validate'

export interface VehicleAnswer {
  isControl: string
  controlReason: string
  emissionStandard: string
  fuelType: string
}

export type FaultMode = 'none' | 'down' | 'slow' | 'http500' | 'code500' | '401' | '952' | 'garbage' | 'html' | 'code'

export interface PlatformSimOptions {
  host?: string
  port?: number
  organ: string
  username: string
  password: string
  tokenTtlMs?: number
  /** Keyed `${plate}|${colour}`. */
  vehicles?: Record<string, VehicleAnswer>
  defaultAnswer?: VehicleAnswer
  /** The simulated platform clock minus the real one (to make a booth clock look wrong). */
  clockOffsetMs?: number
  /** ERRATA E03: 'as-printed' answers 4.1.2/4.1.7/4.1.8 in {result, err, data} (default), 'code-status' never does. */
  replyStyle?: 'as-printed' | 'code-status'
  /** ERRATA E18: which 4.1.4 pass field this city expects. */
  passField?: CityReading['passField']
}

export interface RecordedRequest {
  seq: number
  at: string
  path: string
  ipctype: string | null
  /** How the request came: the 4.1 envelope, a flat body (ERRATA E01), or multipart file + info (E28). */
  shape: 'envelope' | 'flat' | 'multipart' | 'unreadable'
  httpStatus: number
  reply: any
  /** The request's `value`, with images summarised as { bytes, sha256 }. */
  value: Record<string, any> | null
  photo?: { bytes: number; sha256: string }
  /** The fault injected instead of an answer, if any. */
  fault?: FaultMode
}

/** One request as received, before any judgement. */
interface Received {
  ipctype: string | null
  shape: RecordedRequest['shape']
  envelope: any
  value: Record<string, any> | null
  photo?: Buffer
  /** Why the body could not be read (shape 'unreadable'). */
  error?: string
}

export interface PlatformSim {
  /** http://127.0.0.1:PORT */
  url: string
  /** url + '/ysgk' */
  baseUrl: string
  requests(): RecordedRequest[]
  close(): Promise<void>
}

const PATHS: Record<string, string[]> = {
  '/ysgk/restapi/transportControl/get_data': ['getAccessToken', 'getCheckVehicle'],
  '/ysgk/restapi/transportControl/put_data': ['shareDrivingRecord', 'shareGoodsRecord', 'shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec'],
  '/ysgk/restapi/transportControl/put_file': ['sharePhotoInfo']
}
/** 4.1.2/4.1.7/4.1.8 answer in the {result, err, data} style (ERRATA E01/E03). */
const RESULT_STYLE = new Set(['shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec'])
const IMAGE_FIELDS = new Set(['base64Image', 'drivingLicenseImg', 'drivingLicenseImg2', 'imageInfo'])
const OK_STATUS = '服务器已成功处理了请求'
const BODY_LIMIT = 16 * 1024 * 1024
/** Photos kept for GET /__sim/photos/{seq}.jpg ("what did we send?"). */
const PHOTOS_KEPT = 50

/**
 * The city platform of spec 4.1, simulated: the same wire protocol and a strict format check of its own, per-vehicle
 * control answers, expiring tokens, fault injection and a record of every request ("what did we send?").
 */
export async function startPlatformSim(options: PlatformSimOptions): Promise<PlatformSim> {
  const tokens = new Map<string, number>()
  const vehicles = new Map(Object.entries(options.vehicles ?? {}))
  const defaultAnswer = options.defaultAnswer ?? { isControl: '0', controlReason: '', emissionStandard: '6', fuelType: 'B' }
  const tokenTtlMs = options.tokenTtlMs ?? 2 * 3600 * 1000
  const city: CityReading = { passField: options.passField ?? 'bgzt' }
  const replyStyle = options.replyStyle ?? 'as-printed'
  let clockOffsetMs = options.clockOffsetMs ?? 0
  const recorded: RecordedRequest[] = []
  const photos = new Map<number, Buffer>()
  let fault: { mode: FaultMode; delayMs: number; times: number; code: string } = noFault()

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => json(response, 500, { code: '500', status: String(error) }))
  })

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sim')
    if (url.pathname.startsWith('/__sim/')) return admin(request, response, url)
    if (url.pathname === '/' && request.method === 'GET') return page(response)
    const received = receive(url.pathname, request.headers['content-type'] ?? '', await readBody(request))
    if (fault.mode !== 'none' && fault.times > 0) {
      const current = fault
      fault.times--
      if (fault.times === 0) fault = noFault()
      if (current.mode === 'slow') await new Promise((r) => setTimeout(r, current.delayMs || 5000))
      else {
        const injected = faultReply(current)
        record(url.pathname, received, injected?.status ?? 0, injected?.text ?? null, current.mode)
        if (!injected) request.socket.destroy()
        else response.writeHead(injected.status, { 'Content-Type': injected.contentType }).end(injected.text)
        return
      }
    }
    const { status, reply } = answer(url.pathname, received)
    record(url.pathname, received, status, reply)
    json(response, status, reply)
  }

  function record(path: string, received: Received, httpStatus: number, reply: unknown, faultMode?: FaultMode): void {
    const seq = recorded.length + 1
    const { ipctype, shape, value, photo } = received
    const photoSummary = photo ? { bytes: photo.length, sha256: sha256(photo) } : null
    recorded.push({
      seq,
      at: new Date().toISOString(),
      path,
      ipctype,
      shape,
      httpStatus,
      reply,
      value: summarise(value, photo, photoSummary),
      ...(photoSummary ? { photo: photoSummary } : {}),
      ...(faultMode ? { fault: faultMode } : {})
    })
    if (photo) {
      photos.set(seq, photo)
      photos.delete(seq - PHOTOS_KEPT)
    }
  }

  /** The injected reply, or null to drop the connection. */
  function faultReply(current: typeof fault): { status: number; contentType: string; text: string } | null {
    const jsonReply = (status: number, body: object) => ({ status, contentType: 'application/json; charset=UTF-8', text: JSON.stringify(body) })
    switch (current.mode) {
      case 'down':
        return null
      case 'http500':
        return jsonReply(500, { code: '500', status: '服务器遭遇异常' })
      case 'code500':
        return jsonReply(200, { code: '500', status: '服务器遭遇异常阻止了当前请求的执行' })
      case '401':
        return jsonReply(200, { code: '401', status: '未授权或身份授权失效' })
      case '952':
        return jsonReply(200, { code: '952', status: '格式校验失败' })
      case 'code':
        return jsonReply(200, { code: current.code, status: returnCodeName(current.code) })
      case 'garbage':
        return { status: 200, contentType: 'application/json', text: '\u0000{not json' }
      default:
        return { status: 502, contentType: 'text/html', text: '<html><body><h1>502 Bad Gateway</h1></body></html>' }
    }
  }

  /** What a request says, read without judging it; never throws. */
  function receive(path: string, contentType: string, body: Buffer): Received {
    let envelope: any
    let file: Buffer | null = null
    let shape: RecordedRequest['shape']
    try {
      if (contentType.startsWith('multipart/form-data')) {
        const parts = parseMultipart(body, contentType)
        const info = parts.find((part) => part.name === 'info')
        if (!info) throw new Error('missing part info')
        envelope = parseInfoJson(info.data)
        file = parts.find((part) => part.name === 'file')?.data ?? null
        shape = 'multipart'
      } else {
        envelope = JSON.parse(body.toString('utf8'))
        shape = typeof envelope?.ipctype === 'string' ? 'envelope' : 'flat'
      }
      if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new Error('not a JSON object')
    } catch (error) {
      return { ipctype: null, shape: 'unreadable', envelope: null, value: null, photo: file ?? undefined, error: (error as Error).message }
    }
    const flat = shape === 'flat'
    // ERRATA E01: a flat body (as printed for 4.1.2/4.1.7/4.1.8) names no ipctype; its fields tell which it is.
    const ipctype: string | null = flat ? (path.endsWith('/put_data') ? flatIpctypeOf(envelope) : null) : envelope.ipctype
    const value = flat ? envelope : typeof envelope.value === 'object' ? envelope.value : null
    return { ipctype, shape, envelope, value, photo: file ?? undefined }
  }

  function answer(path: string, received: Received): { status: number; reply: unknown } {
    if (received.shape === 'unreadable') return { status: 200, reply: { code: '400', status: `请求无法解析: ${received.error}` } }
    const { ipctype, shape, envelope, value, photo } = received
    const flat = shape === 'flat'
    const reply = (code: string, status: string, extra: object = {}) => {
      if (replyStyle === 'as-printed' && ipctype && RESULT_STYLE.has(ipctype)) return code === '200' ? { result: 'success', err: '', data: {} } : { result: 'fail', err: `${code} ${status}` }
      return { code, status, ...extra }
    }
    const done = (code: string, status: string, extra: object = {}) => ({ status: 200, reply: reply(code, status, extra) })

    if (!ipctype || !PATHS[path]?.includes(ipctype)) return done('404', `接口 ${ipctype ?? '(无 ipctype)'} 不在 ${path}`)
    if (flat && !RESULT_STYLE.has(ipctype)) return done('400', `${ipctype} 必须使用 4.1 报文结构`)
    if (!flat && envelope.organ !== options.organ) return done('401', 'organ 不正确')
    if (ipctype === 'getAccessToken') {
      if (envelope.username !== options.username || envelope.password !== options.password) return done('401', '用户名或密码错误')
      const token = randomBytes(16).toString('hex').toUpperCase()
      tokens.set(token, Date.now() + tokenTtlMs)
      return done('200', OK_STATUS, { access_token: token, datetime: formatSpecDateTime(new Date(Date.now() + clockOffsetMs)) })
    }
    // The printed flat 4.1.2 carries no token at all; flat 4.1.7/4.1.8 carry it as accessToken (ERRATA E01).
    const token = flat ? envelope.accessToken : envelope.access_token
    const needsToken = !(flat && ipctype === 'shareVehInfo')
    if (needsToken && !tokenValid(token)) return done('401', '未授权或身份授权失效')
    const problems = validateValue(ipctype, value, { city, fileAttached: photo !== undefined })
    if (!flat && typeof value?.accessToken === 'string' && value.accessToken !== '' && value.accessToken !== token) problems.push('value.accessToken: 与 access_token 不一致')
    if (photo) {
      const problem = jpegProblem(photo)
      if (problem) problems.push(`file: ${problem}`)
      if (value?.base64Image && decodeBase64(value.base64Image).bytes.compare(photo) !== 0) problems.push('file: 与 base64Image 不一致')
    } else if (ipctype === 'sharePhotoInfo' && shape === 'multipart') problems.push('file: 缺少照片文件')
    if (problems.length > 0) return done('952', `格式校验失败: ${problems.join('; ')}`)
    if (ipctype === 'getCheckVehicle' && value) {
      const verdict = vehicles.get(`${value.license}|${value.licenseColor}`) ?? defaultAnswer
      return done('200', OK_STATUS, { value: { license: value.license, licenseColor: value.licenseColor, ...verdict } })
    }
    return done('200', OK_STATUS)
  }

  function tokenValid(token: unknown): boolean {
    const expiry = typeof token === 'string' ? tokens.get(token) : undefined
    return expiry !== undefined && expiry >= Date.now()
  }

  async function admin(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = `${request.method} ${url.pathname}`
    switch (route) {
      case 'GET /__sim/requests': {
        const ipctype = url.searchParams.get('ipctype')
        return json(response, 200, ipctype ? recorded.filter((r) => r.ipctype === ipctype) : recorded)
      }
      case 'DELETE /__sim/requests':
        recorded.length = 0
        return json(response, 200, { ok: true })
      case 'GET /__sim/vehicles':
        return json(response, 200, Object.fromEntries(vehicles))
      case 'PUT /__sim/vehicles': {
        const body = JSON.parse((await readBody(request)).toString('utf8'))
        vehicles.set(`${body.plate}|${body.colour}`, body.answer)
        return json(response, 200, { ok: true })
      }
      case 'POST /__sim/fault': {
        const body = JSON.parse((await readBody(request)).toString('utf8'))
        fault = { mode: body.mode, delayMs: body.delayMs ?? 0, times: body.times ?? Infinity, code: String(body.code ?? '500') }
        return json(response, 200, { ok: true, mode: fault.mode })
      }
      case 'POST /__sim/clock': {
        const body = JSON.parse((await readBody(request)).toString('utf8'))
        clockOffsetMs = Number(body.offsetMs) || 0
        return json(response, 200, { ok: true, offsetMs: clockOffsetMs })
      }
      case 'POST /__sim/tokens/expire':
        tokens.clear()
        return json(response, 200, { ok: true })
      case 'GET /__sim/health':
        return json(response, 200, { ok: true, requests: recorded.length })
      default: {
        const photoSeq = request.method === 'GET' ? /^\/__sim\/photos\/(\d+)\.jpg$/.exec(url.pathname) : null
        const photo = photoSeq ? photos.get(Number(photoSeq[1])) : undefined
        if (photo) {
          response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': photo.length }).end(photo)
          return
        }
        return json(response, 404, { error: `no admin route ${route}` })
      }
    }
  }

  function page(response: ServerResponse): void {
    const rows = recorded
      .slice(-100)
      .reverse()
      .map((r) => {
        const photo = photos.has(r.seq) ? `<br><a href="/__sim/photos/${r.seq}.jpg">照片 ${r.photo?.bytes} 字节</a>` : ''
        return `<tr><td>${r.seq}</td><td>${escape(r.at)}</td><td>${escape(r.ipctype ?? '')}</td><td>${escape(r.shape)}</td><td>${escape(JSON.stringify(r.reply))}</td><td><code>${escape(JSON.stringify(r.value))}</code>${photo}</td></tr>`
      })
      .join('')
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><meta charset="utf-8"><title>市级平台模拟器</title><h1>市级平台模拟器：最近 100 条请求</h1><table border="1"><tr><th>#</th><th>时间</th><th>ipctype</th><th>报文结构</th><th>应答</th><th>value</th></tr>${rows}</table>`)
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  return {
    url,
    baseUrl: `${url}/ysgk`,
    requests: () => recorded.slice(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function noFault(): { mode: FaultMode; delayMs: number; times: number; code: string } {
  return { mode: 'none', delayMs: 0, times: Infinity, code: '500' }
}

/** The 2.6 name of a return code, for injected replies. */
function returnCodeName(code: string): string {
  return dictionaries.returnCodes.entries.find((entry) => entry.code === code)?.name ?? '未定义的返回码'
}

/** The value with images as { bytes, sha256 } (an image equal to the attached file takes the file's summary). */
function summarise(value: Record<string, any> | null, photo?: Buffer, photoSummary?: { bytes: number; sha256: string } | null): Record<string, any> | null {
  if (!value) return null
  const out: Record<string, any> = {}
  for (const [key, field] of Object.entries(value)) {
    if (key === 'accessToken') out[key] = '***'
    else if (IMAGE_FIELDS.has(key) && typeof field === 'string' && field.length > 0) {
      const { bytes } = decodeBase64(field)
      out[key] = photo && photoSummary && bytes.equals(photo) ? photoSummary : { bytes: bytes.length, sha256: sha256(bytes) }
    } else out[key] = field
  }
  return out
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > BODY_LIMIT) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) }).end(text)
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
