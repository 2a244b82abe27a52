import { XMLParser } from 'fast-xml-parser'

/** Namespace prefixes dropped (cameras pick their own), attributes as `@_name`, every value kept as text. */
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['NotificationMessage', 'SimpleItem', 'ElementItem', 'ProbeMatch'].includes(name)
})

export type XmlNode = Record<string, unknown>

export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError'
}

/** Parses a SOAP envelope and returns its Body; throws MalformedXmlError on anything else. */
export function soapBody(xml: string): XmlNode {
  let doc: XmlNode
  try {
    doc = parser.parse(xml, true) as XmlNode
  } catch (error) {
    throw new MalformedXmlError(`reply is not well-formed XML: ${(error as Error).message}`)
  }
  const body = (doc.Envelope as XmlNode | undefined)?.Body
  if (!body || typeof body !== 'object') throw new MalformedXmlError('reply is not a SOAP envelope')
  return body as XmlNode
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined
  const value = (node as XmlNode)[name]
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined
}

export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return []
  const value = (node as XmlNode)[name]
  if (Array.isArray(value)) return value.filter((item): item is XmlNode => !!item && typeof item === 'object')
  return value && typeof value === 'object' ? [value as XmlNode] : []
}

export function text(node: unknown): string {
  if (typeof node === 'string') return node.trim()
  if (node && typeof node === 'object' && '#text' in node) return String((node as XmlNode)['#text']).trim()
  return ''
}

export function attribute(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined
  const value = (node as XmlNode)[`@_${name}`]
  return value === undefined ? undefined : String(value)
}
