import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'

/** SOAP 1.2 envelope with the namespaces ONVIF devices declare; `body` is the inner XML of <env:Body>. */
export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema"' +
    ' xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl"' +
    ' xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"' +
    ' xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:tns1="http://www.onvif.org/ver10/topics"' +
    ' xmlns:ter="http://www.onvif.org/ver10/error" xmlns:wsrf-rw="http://docs.oasis-open.org/wsrf/rw-2">' +
    `<env:Body>${body}</env:Body></env:Envelope>`
  )
}

/** A SOAP fault as ONVIF Core §5.11 describes it: env code, ter subcode, reason text. */
export function fault(code: 'env:Sender' | 'env:Receiver', subcode: string, reason: string): string {
  return envelope(
    `<env:Fault><env:Code><env:Value>${code}</env:Value><env:Subcode><env:Value>${subcode}</env:Value></env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeXml(reason)}</env:Text></env:Reason></env:Fault>`
  )
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false })

export interface SoapRequest {
  /** Local name of the first element in the body, e.g. GetProfiles. */
  action: string
  /** The parsed body element of that action. */
  params: Record<string, unknown>
  header: Record<string, unknown>
}

export class SoapParseError extends Error {}

export function parseSoapRequest(xml: string): SoapRequest {
  let doc: Record<string, any>
  try {
    doc = parser.parse(xml, true) as Record<string, any>
  } catch (error) {
    throw new SoapParseError(`not XML: ${(error as Error).message}`)
  }
  const body = doc.Envelope?.Body
  if (!body || typeof body !== 'object') throw new SoapParseError('no SOAP Envelope/Body')
  const action = Object.keys(body).find((key) => !key.startsWith('@_'))
  if (!action) throw new SoapParseError('empty SOAP Body')
  const params = body[action]
  return { action, params: typeof params === 'object' && params ? params : {}, header: doc.Envelope.Header ?? {} }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && '#text' in value) return String((value as Record<string, unknown>)['#text'])
  return ''
}

/** WS-Security UsernameToken with PasswordDigest: Base64(SHA-1(nonce + created + password)). */
export function checkUsernameToken(header: Record<string, unknown>, username: string, password: string): boolean {
  const token = (header.Security as Record<string, unknown> | undefined)?.UsernameToken as Record<string, unknown> | undefined
  if (!token) return false
  if (text(token.Username) !== username) return false
  const nonce = Buffer.from(text(token.Nonce), 'base64')
  const created = text(token.Created)
  const expected = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest()
  const given = Buffer.from(text(token.Password), 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** ISO-8601 durations as ONVIF uses them (PT1M, PT10S, PT0.5S); null when unreadable. */
export function durationMs(value: string): number | null {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value.trim())
  if (!match) return null
  const [, d, h, m, s] = match
  return (((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000
}

/** HTTP Digest (RFC 7616, MD5, qop=auth) as cameras use it on their snapshot URI. */
export class DigestGuard {
  private readonly nonces = new Set<string>()

  constructor(
    private readonly realm: string,
    private readonly username: string,
    private readonly password: string
  ) {}

  challenge(): string {
    const nonce = randomBytes(16).toString('hex')
    this.nonces.add(nonce)
    if (this.nonces.size > 1000) this.nonces.delete(this.nonces.values().next().value!)
    return `Digest realm="${this.realm}", qop="auth", nonce="${nonce}", algorithm=MD5`
  }

  verify(method: string, authorization: string | undefined): boolean {
    if (!authorization?.startsWith('Digest ')) return false
    const fields = Object.fromEntries(
      [...authorization.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1]!, m[2] ?? m[3] ?? ''])
    )
    if (fields.username !== this.username || fields.realm !== this.realm || !this.nonces.has(fields.nonce ?? '')) return false
    const md5 = (value: string) => createHash('md5').update(value).digest('hex')
    const ha1 = md5(`${this.username}:${this.realm}:${this.password}`)
    const ha2 = md5(`${method}:${fields.uri}`)
    const expected = md5(`${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:${fields.qop}:${ha2}`)
    return expected === fields.response
  }
}
