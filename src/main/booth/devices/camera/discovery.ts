import { randomUUID } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { children, child, soapBody, text } from './xml'

export const WS_DISCOVERY_MULTICAST = { address: '239.255.255.250', port: 3702 } as const

export interface DiscoveredCamera {
  /** wsa:EndpointReference address, stable per device (urn:uuid:…). */
  endpoint: string
  /** Device service URLs (XAddrs). */
  xaddrs: string[]
  scopes: string[]
  types: string[]
}

export interface ProbeOptions {
  /** Where to send the Probe: the multicast group on a plant LAN, or one device's address. */
  address?: string
  port?: number
  timeoutMs?: number
}

/**
 * WS-Discovery Probe for ONVIF NetworkVideoTransmitters. The `onvif` library's Discovery always sends to the
 * multicast group; this one takes a target so a single camera (or the simulator on loopback) can be probed.
 */
export async function probeOnvif(options: ProbeOptions = {}): Promise<DiscoveredCamera[]> {
  const address = options.address ?? WS_DISCOVERY_MULTICAST.address
  const port = options.port ?? WS_DISCOVERY_MULTICAST.port
  const messageId = `urn:uuid:${randomUUID()}`
  const probe =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"' +
    ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<s:Header><a:MessageID>${messageId}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  const socket = createSocket({ type: 'udp4', reuseAddr: true })
  const found = new Map<string, DiscoveredCamera>()
  socket.on('message', (message) => {
    let body
    try {
      body = soapBody(message.toString('utf8'))
    } catch {
      return
    }
    for (const match of children(child(body, 'ProbeMatches'), 'ProbeMatch')) {
      const endpoint = text(child(child(match, 'EndpointReference'), 'Address') ?? child(match, 'EndpointReference')?.Address)
      const split = (value: unknown) => text(value).split(/\s+/).filter(Boolean)
      const camera = { endpoint, xaddrs: split(match.XAddrs), scopes: split(match.Scopes), types: split(match.Types) }
      if (camera.xaddrs.length > 0) found.set(endpoint || camera.xaddrs[0]!, camera)
    }
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, () => resolve())
  })
  try {
    await new Promise<void>((resolve, reject) => socket.send(probe, port, address, (error) => (error ? reject(error) : resolve())))
    await new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 3000))
  } finally {
    socket.close()
  }
  return [...found.values()]
}
