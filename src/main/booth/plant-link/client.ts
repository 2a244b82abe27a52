import { X509Certificate } from 'node:crypto'
import { request as httpsRequest, type RequestOptions } from 'node:https'
import { connect, type PeerCertificate } from 'node:tls'
import {
  changesReplySchema,
  enrolReplySchema,
  intakeReplySchema,
  PHOTO_HEADER,
  PLANT_PATHS,
  type PassageUpWire,
  type PhotoHeader,
  type RecordUpWire,
  type ReportedLane,
  verifyReplySchema
} from '../../core/plant-link'

/** What a booth keeps after enrolment: the plant's address, its certificate (pinned) and the booth's credential. */
export interface PlantLinkIdentity {
  url: string
  /** The plant's certificate (PEM), trusted as its only authority. */
  certificatePem: string
  fingerprint: string
  credential: string
  gateCode: string
}

export class PlantLinkError extends Error {
  constructor(
    message: string,
    readonly status: number | null
  ) {
    super(message)
    this.name = 'PlantLinkError'
  }
}

const normalise = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase()

/**
 * Fetches the plant's certificate and accepts it only when its SHA-256 is the one the admin read out with the
 * enrolment code; nothing is sent on that connection. Then trades the code for the booth's credential over TLS
 * that trusts that certificate alone.
 */
export async function enrolAtPlant(input: { url: string; fingerprint: string; code: string; boothId: string; timeoutMs?: number }): Promise<PlantLinkIdentity> {
  const target = new URL(input.url)
  const peer = await new Promise<PeerCertificate>((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port || 443), rejectUnauthorized: false, servername: '' }, () => {
      const certificate = socket.getPeerCertificate()
      socket.destroy()
      resolve(certificate)
    })
    socket.setTimeout(input.timeoutMs ?? 10_000, () => socket.destroy(new Error('plant did not answer')))
    socket.once('error', reject)
  })
  if (!peer.raw || normalise(peer.fingerprint256) !== normalise(input.fingerprint)) {
    throw new PlantLinkError('工厂服务器证书与注册时核对的指纹不符，已拒绝连接', null)
  }
  const certificatePem = new X509Certificate(peer.raw).toString()
  const pinned = { url: input.url, certificatePem, fingerprint: peer.fingerprint256, credential: '', gateCode: '' }
  const reply = enrolReplySchema.parse(await call(pinned, 'POST', PLANT_PATHS.enrol, { code: input.code, boothId: input.boothId }, input.timeoutMs))
  return { ...pinned, credential: reply.credential, gateCode: reply.gateCode }
}

/** A booth's calls to its plant, over TLS pinned to the plant's certificate, with the booth's credential. */
export class PlantLink {
  constructor(
    private readonly identity: PlantLinkIdentity,
    private readonly timeoutMs = 10_000
  ) {}

  async sendPassages(passages: readonly PassageUpWire[]): Promise<('accepted' | 'duplicate' | 'unknownPassage')[]> {
    return intakeReplySchema.parse(await call(this.identity, 'POST', PLANT_PATHS.passages, { passages }, this.timeoutMs)).results
  }

  async sendRecords(records: readonly RecordUpWire[]): Promise<('accepted' | 'duplicate' | 'unknownPassage')[]> {
    return intakeReplySchema.parse(await call(this.identity, 'POST', PLANT_PATHS.records, { records }, this.timeoutMs)).results
  }

  async sendPhoto(lsh: string, zpbh: string, header: PhotoHeader, jpeg: Buffer): Promise<'accepted' | 'duplicate' | 'unknownPassage'> {
    const path = `${PLANT_PATHS.photos}/${encodeURIComponent(lsh)}/${encodeURIComponent(zpbh)}`
    const reply = await call(this.identity, 'PUT', path, jpeg, this.timeoutMs, { [PHOTO_HEADER]: encodeURIComponent(JSON.stringify(header)) }, [200, 409])
    return intakeReplySchema.parse(reply).results[0]!
  }

  /** The platform's verdict through the plant, within `timeoutMs` (the lane's budget). */
  async verify(plate: string, colour: string, timeoutMs: number) {
    const query = new URLSearchParams({ plate, colour, timeoutMs: String(Math.max(1, timeoutMs - 50)) })
    return verifyReplySchema.parse(await call(this.identity, 'GET', `${PLANT_PATHS.verify}?${query}`, undefined, timeoutMs)).verdict
  }

  /** Tells the plant this booth's lanes (its lane-settings screen lists them). */
  async reportLanes(lanes: readonly ReportedLane[]): Promise<void> {
    await call(this.identity, 'POST', PLANT_PATHS.lanes, { lanes }, this.timeoutMs)
  }

  async changes(after: number, limit = 500) {
    return changesReplySchema.parse(await call(this.identity, 'GET', `${PLANT_PATHS.changes}?after=${after}&limit=${limit}`, undefined, this.timeoutMs))
  }
}

function call(
  identity: Pick<PlantLinkIdentity, 'url' | 'certificatePem' | 'fingerprint' | 'credential'>,
  method: string,
  path: string,
  body: unknown,
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
  okStatuses: readonly number[] = [200]
): Promise<unknown> {
  const url = new URL(path, identity.url)
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body))
  const options: RequestOptions = {
    method,
    host: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    ca: identity.certificatePem,
    // The plant's certificate names no address (booths reach it by IP): the pin is the identity.
    checkServerIdentity: (_host, certificate) =>
      normalise(certificate.fingerprint256) === normalise(identity.fingerprint) ? undefined : new Error('plant certificate changed since enrolment'),
    headers: {
      ...(identity.credential ? { Authorization: `Bearer ${identity.credential}` } : {}),
      ...(payload ? { 'Content-Type': Buffer.isBuffer(body) ? 'image/jpeg' : 'application/json', 'Content-Length': String(payload.length) } : {}),
      ...headers
    },
    timeout: timeoutMs
  }
  return new Promise((resolve, reject) => {
    const request = httpsRequest(options, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        let parsed: unknown = null
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          parsed = null
        }
        const status = response.statusCode ?? 0
        if (okStatuses.includes(status)) resolve(parsed)
        else reject(new PlantLinkError((parsed as { error?: string } | null)?.error ?? `工厂服务器答复 ${status}`, status))
      })
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new PlantLinkError('工厂服务器没有在限定时间内答复', null)))
    request.on('error', reject)
    request.end(payload)
  })
}
