import { randomUUID } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { renderFrame } from './frames'
import { checkUsernameToken, DigestGuard, durationMs, envelope, escapeXml, fault, parseSoapRequest, SoapParseError, type SoapRequest } from './soap'

export interface OnvifSimOptions {
  host: string
  port: number
  username: string
  password: string
  laneName: string
  /** UDP port answering WS-Discovery probes (0 picks one); null: no discovery. */
  discoveryPort: number | null
  /** Also join the WS-Discovery multicast group 239.255.255.250 (a real network, not tests). */
  multicast?: boolean
}

export type PlateEventFormat = 'simple' | 'element'

export interface RaisedPlate {
  plate: string
  /** Colour word as cameras send it: Blue, Yellow, White, Black, Green. */
  colour: string
  confidence: number
  format: PlateEventFormat
}

export type FaultMode = 'none' | 'malformed'

export interface OnvifSim {
  url: string
  /** udp://127.0.0.1:port, or null without discovery. */
  discovery: string | null
  raisePlate(plate: RaisedPlate): void
  setInput(token: string, state: boolean): void
  setFault(mode: FaultMode): void
  close(): Promise<void>
}

interface Subscription {
  expiresAt: number
  queue: string[]
  wake: (() => void) | null
}

const PROFILE = 'Profile_1'
const VIDEO_SOURCE = 'VideoSource_1'
const MAX_PULL_WAIT_MS = 60_000
/** How long a raised plate stays on the simulated lane picture. */
const PLATE_VISIBLE_MS = 8_000

/**
 * An ONVIF Profile S camera with plate recognition, over real SOAP 1.2 / HTTP: device, media and event (pull-point)
 * services, WS-UsernameToken on every call but GetSystemDateAndTime, HTTP Digest on the snapshot URI, WS-Discovery
 * over UDP. Admin endpoints under /admin raise plate events and digital inputs, or switch on a fault mode.
 */
export async function startOnvifSim(options: OnvifSimOptions): Promise<OnvifSim> {
  const subscriptions = new Map<string, Subscription>()
  /** DeviceIO relay outputs (the barrier controller's open and close inputs) and every state set on them, in order. */
  const relays = new Map<string, 'active' | 'inactive'>([['RelayOutput_1', 'inactive'], ['RelayOutput_2', 'inactive']])
  const relayLog: { token: string; state: string; at: string }[] = []
  const digest = new DigestGuard('onvif-sim', options.username, options.password)
  let faultMode: FaultMode = 'none'
  let renewals = 0
  let shownPlate: { plate: string; until: number } | null = null
  let base = ''

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' })
      response.end(String(error))
    })
  })

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://sim').pathname
    if (path.startsWith('/admin/')) return admin(path, request, response)
    if (path === `/snapshot/${PROFILE}.jpg` && request.method === 'GET') return snapshot(request, response)
    if (request.method === 'POST' && path.startsWith('/onvif/')) return soap(path, await readText(request), response)
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
  }

  async function snapshot(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!digest.verify('GET', request.headers.authorization)) {
      response.writeHead(401, { 'WWW-Authenticate': digest.challenge(), 'Content-Type': 'text/plain' }).end('Unauthorized')
      return
    }
    const now = Date.now()
    const plate = shownPlate && shownPlate.until > now ? shownPlate.plate : null
    const jpeg = await renderFrame({ laneName: options.laneName, plate, at: new Date(now) })
    response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length, 'Cache-Control': 'no-store' }).end(jpeg)
  }

  function reply(response: ServerResponse, status: number, xml: string): void {
    const body = faultMode === 'malformed' ? xml.slice(0, Math.floor(xml.length / 2)) : xml
    response.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body)
  }

  async function soap(path: string, xml: string, response: ServerResponse): Promise<void> {
    let request: SoapRequest
    try {
      request = parseSoapRequest(xml)
    } catch (error) {
      if (!(error instanceof SoapParseError)) throw error
      return reply(response, 400, fault('env:Sender', 'ter:WellFormed', error.message))
    }
    if (request.action !== 'GetSystemDateAndTime' && !checkUsernameToken(request.header, options.username, options.password)) {
      return reply(response, 400, fault('env:Sender', 'ter:NotAuthorized', 'Sender not Authorized'))
    }
    const pullPoint = /^\/onvif\/pullpoint\/([\w-]+)$/.exec(path)
    if (pullPoint) return pullPointCall(pullPoint[1]!, request, response)
    const body = answer(request)
    if (body === null) return reply(response, 400, fault('env:Receiver', 'ter:ActionNotSupported', `${request.action} is not supported`))
    reply(response, 200, envelope(body))
  }

  function answer({ action, params }: SoapRequest): string | null {
    const now = new Date()
    switch (action) {
      case 'GetSystemDateAndTime':
        return (
          '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
          '<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime>' +
          `<tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
          `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date>` +
          '</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
        )
      case 'GetDeviceInformation':
        return (
          '<tds:GetDeviceInformationResponse><tds:Manufacturer>GateBooth</tds:Manufacturer><tds:Model>ONVIF-LPR-SIM</tds:Model>' +
          `<tds:FirmwareVersion>1.0</tds:FirmwareVersion><tds:SerialNumber>SIM-${escapeXml(options.laneName)}</tds:SerialNumber><tds:HardwareId>sim</tds:HardwareId>` +
          '</tds:GetDeviceInformationResponse>'
        )
      case 'GetServices':
        return (
          '<tds:GetServicesResponse>' +
          service('http://www.onvif.org/ver10/device/wsdl', 'device_service') +
          service('http://www.onvif.org/ver10/media/wsdl', 'media_service') +
          service('http://www.onvif.org/ver10/events/wsdl', 'event_service') +
          service('http://www.onvif.org/ver10/deviceIO/wsdl', 'deviceio_service') +
          '</tds:GetServicesResponse>'
        )
      case 'GetCapabilities':
        return (
          '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
          `<tt:Device><tt:XAddr>${base}/onvif/device_service</tt:XAddr></tt:Device>` +
          `<tt:Events><tt:XAddr>${base}/onvif/event_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
          '<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>' +
          `<tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
          '</tds:Capabilities></tds:GetCapabilitiesResponse>'
        )
      case 'GetVideoSources':
        return (
          `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE}"><tt:Framerate>25</tt:Framerate>` +
          '<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>'
        )
      case 'GetProfiles':
        return (
          `<trt:GetProfilesResponse><trt:Profiles token="${PROFILE}" fixed="true"><tt:Name>mainStream</tt:Name>` +
          `<tt:VideoSourceConfiguration token="VSC_1"><tt:Name>VSC_1</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>${VIDEO_SOURCE}</tt:SourceToken>` +
          '<tt:Bounds x="0" y="0" width="640" height="360"/></tt:VideoSourceConfiguration>' +
          '<tt:VideoEncoderConfiguration token="VEC_1"><tt:Name>VEC_1</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>' +
          '<tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>' +
          '<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>' +
          '<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>' +
          '</trt:Profiles></trt:GetProfilesResponse>'
        )
      case 'GetSnapshotUri':
        return mediaUri('GetSnapshotUriResponse', `${base}/snapshot/${PROFILE}.jpg`)
      case 'GetStreamUri':
        return mediaUri('GetStreamUriResponse', `rtsp://${new URL(base).hostname}:554/Streaming/Channels/101`)
      // DeviceIO (ONVIF DeviceIO service spec): relay outputs, monostable 1 s.
      case 'GetRelayOutputs':
        return (
          '<tmd:GetRelayOutputsResponse xmlns:tmd="http://www.onvif.org/ver10/deviceIO/wsdl">' +
          [...relays.keys()]
            .map((token) => `<tmd:RelayOutputs token="${token}"><tt:Properties><tt:Mode>Monostable</tt:Mode><tt:DelayTime>PT1S</tt:DelayTime><tt:IdleState>open</tt:IdleState></tt:Properties></tmd:RelayOutputs>`)
            .join('') +
          '</tmd:GetRelayOutputsResponse>'
        )
      case 'SetRelayOutputState': {
        const token = String(params.RelayOutputToken ?? '')
        const state = String(params.LogicalState ?? '')
        if (!relays.has(token) || (state !== 'active' && state !== 'inactive')) return null
        relays.set(token, state)
        relayLog.push({ token, state, at: now.toISOString() })
        // Monostable: back to idle after the delay time.
        if (state === 'active') setTimeout(() => relays.set(token, 'inactive'), 1_000).unref()
        return '<tmd:SetRelayOutputStateResponse xmlns:tmd="http://www.onvif.org/ver10/deviceIO/wsdl"/>'
      }
      case 'CreatePullPointSubscription': {
        const id = randomUUID()
        const lifetime = durationMs(String(params.InitialTerminationTime ?? '')) ?? 60_000
        subscriptions.set(id, { expiresAt: now.getTime() + lifetime, queue: [], wake: null })
        return (
          `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${base}/onvif/pullpoint/${id}</wsa:Address></tev:SubscriptionReference>` +
          `<wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime><wsnt:TerminationTime>${new Date(now.getTime() + lifetime).toISOString()}</wsnt:TerminationTime>` +
          '</tev:CreatePullPointSubscriptionResponse>'
        )
      }
      default:
        return null
    }
  }

  function service(namespace: string, path: string): string {
    return `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${base}/onvif/${path}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`
  }

  function mediaUri(element: string, uri: string): string {
    return `<trt:${element}><trt:MediaUri><tt:Uri>${escapeXml(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${element}>`
  }

  async function pullPointCall(id: string, { action, params }: SoapRequest, response: ServerResponse): Promise<void> {
    const found = subscriptions.get(id)
    if (!found || found.expiresAt < Date.now()) {
      subscriptions.delete(id)
      return reply(response, 400, fault('env:Receiver', 'wsrf-rw:ResourceUnknownFault', `no subscription ${id}`))
    }
    const subscription: Subscription = found
    if (action === 'PullMessages') {
      const limit = Math.max(1, Number(params.MessageLimit ?? 10) || 10)
      const wait = Math.min(durationMs(String(params.Timeout ?? '')) ?? 0, MAX_PULL_WAIT_MS)
      if (subscription.queue.length === 0 && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, wait)
          function done() {
            clearTimeout(timer)
            subscription.wake = null
            resolve()
          }
          subscription.wake = done
        })
      }
      const messages = subscription.queue.splice(0, limit)
      const now = new Date()
      return reply(
        response,
        200,
        envelope(
          `<tev:PullMessagesResponse><tev:CurrentTime>${now.toISOString()}</tev:CurrentTime><tev:TerminationTime>${new Date(subscription.expiresAt).toISOString()}</tev:TerminationTime>` +
            `${messages.join('')}</tev:PullMessagesResponse>`
        )
      )
    }
    if (action === 'Renew') {
      const now = Date.now()
      subscription.expiresAt = now + (durationMs(String(params.TerminationTime ?? '')) ?? 60_000)
      renewals++
      return reply(
        response,
        200,
        envelope(
          `<wsnt:RenewResponse><wsnt:TerminationTime>${new Date(subscription.expiresAt).toISOString()}</wsnt:TerminationTime><wsnt:CurrentTime>${new Date(now).toISOString()}</wsnt:CurrentTime></wsnt:RenewResponse>`
        )
      )
    }
    if (action === 'Unsubscribe') {
      subscriptions.delete(id)
      subscription.wake?.()
      return reply(response, 200, envelope('<wsnt:UnsubscribeResponse/>'))
    }
    reply(response, 400, fault('env:Receiver', 'ter:ActionNotSupported', `${action} is not supported on a pull point`))
  }

  function publish(notification: string): void {
    for (const subscription of subscriptions.values()) {
      subscription.queue.push(notification)
      subscription.wake?.()
    }
  }

  const sim: OnvifSim = {
    url: '',
    discovery: null,
    raisePlate(raised) {
      shownPlate = { plate: raised.plate, until: Date.now() + PLATE_VISIBLE_MS }
      publish(plateNotification(raised, new Date()))
    },
    setInput(token, state) {
      publish(
        notification('tns1:Device/Trigger/DigitalInput', new Date(), `<tt:SimpleItem Name="InputToken" Value="${escapeXml(token)}"/>`, `<tt:SimpleItem Name="LogicalState" Value="${state}"/>`)
      )
    },
    setFault(mode) {
      faultMode = mode
    },
    async close() {
      for (const subscription of subscriptions.values()) subscription.wake?.()
      discovery?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  async function admin(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    }
    if (request.method !== 'POST') return send(405, { error: 'use POST' })
    let input: Record<string, unknown>
    try {
      input = JSON.parse((await readText(request)) || '{}') as Record<string, unknown>
    } catch {
      return send(400, { error: 'body is not JSON' })
    }
    const counts = () => ({ subscriptions: subscriptions.size, renewals, relays: Object.fromEntries(relays), relayLog })
    if (path === '/admin/state') return send(200, counts())
    if (path === '/admin/plate') {
      if (typeof input.plate !== 'string' || input.plate === '') return send(400, { error: 'plate is required' })
      sim.raisePlate({
        plate: input.plate,
        colour: typeof input.colour === 'string' ? input.colour : 'Yellow',
        confidence: typeof input.confidence === 'number' ? input.confidence : 0.95,
        format: input.format === 'element' ? 'element' : 'simple'
      })
      return send(200, counts())
    }
    if (path === '/admin/input') {
      sim.setInput(typeof input.token === 'string' ? input.token : 'DI_1', input.state === true)
      return send(200, counts())
    }
    if (path === '/admin/fault') {
      if (input.mode !== 'none' && input.mode !== 'malformed') return send(400, { error: 'mode must be none or malformed' })
      sim.setFault(input.mode)
      return send(200, { mode: input.mode })
    }
    send(404, { error: 'unknown admin endpoint' })
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : options.port)
    })
  })
  base = `http://${options.host}:${port}`
  sim.url = `${base}/onvif/device_service`
  const discovery = options.discoveryPort === null ? null : await startDiscovery(options, () => sim.url)
  if (discovery) sim.discovery = `udp://${options.host}:${discovery.address().port}`
  return sim
}

/** ONVIF Analytics plate read: the Profile M topic form, with the plate as SimpleItems or as a tt:LicensePlateInfo element. */
function plateNotification({ plate, colour, confidence, format }: RaisedPlate, at: Date): string {
  const source = '<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VSC_1"/><tt:SimpleItem Name="Rule" Value="LPR_Gate"/>'
  if (format === 'element') {
    return notification(
      'tns1:RuleEngine/LicensePlateDetector/LicensePlate',
      at,
      source,
      `<tt:ElementItem Name="LicensePlateInfo"><tt:LicensePlateInfo><tt:PlateNumber Likelihood="${confidence}">${escapeXml(plate)}</tt:PlateNumber>` +
        `<tt:PlateType>${escapeXml(colour)}</tt:PlateType><tt:CountryCode>CN</tt:CountryCode></tt:LicensePlateInfo></tt:ElementItem>`
    )
  }
  return notification(
    'tns1:RuleEngine/LicensePlateRecognition/Plate',
    at,
    source,
    `<tt:SimpleItem Name="PlateNumber" Value="${escapeXml(plate)}"/><tt:SimpleItem Name="PlateColor" Value="${escapeXml(colour)}"/><tt:SimpleItem Name="Likelihood" Value="${confidence}"/>`
  )
}

function notification(topic: string, at: Date, source: string, data: string): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${at.toISOString()}" PropertyOperation="Changed"><tt:Source>${source}</tt:Source><tt:Data>${data}</tt:Data></tt:Message></wsnt:Message>` +
    '</wsnt:NotificationMessage>'
  )
}

/** WS-Discovery: answers a Probe with ProbeMatches naming the device service XAddr. */
async function startDiscovery(options: OnvifSimOptions, xaddr: () => string): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true })
  const endpoint = `urn:uuid:${randomUUID()}`
  socket.on('message', (message, remote) => {
    let request: SoapRequest
    try {
      request = parseSoapRequest(message.toString('utf8'))
    } catch {
      return
    }
    if (request.action !== 'Probe') return
    const relatesTo = String((request.header.MessageID as string | undefined) ?? '')
    const reply =
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"' +
      ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
      `<env:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID><wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo>` +
      '<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>' +
      '<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></env:Header>' +
      `<env:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${endpoint}</wsa:Address></wsa:EndpointReference>` +
      '<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>' +
      `<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/ONVIF-LPR-SIM onvif://www.onvif.org/location/${encodeURIComponent(options.laneName)}</d:Scopes>` +
      `<d:XAddrs>${xaddr()}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>`
    socket.send(reply, remote.port, remote.address)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options.discoveryPort ?? 0, options.multicast ? undefined : options.host, () => {
      socket.off('error', reject)
      if (options.multicast) socket.addMembership('239.255.255.250')
      resolve()
    })
  })
  return socket
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
