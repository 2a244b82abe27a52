import { describe, expect, it } from 'vitest'
import { decodeBase64Jpeg } from '../../src/main/booth/ingress/base64-jpeg'
import { AddressList, hostHeaderAllowed, isLoopbackHost, parseAddressBlock } from '../../src/main/core/http/address'
import { JsonShapeError, JsonShapeScanner, LargeText, parseScannedJson, type JsonLimits } from '../../src/main/core/http/json-scan'

const LIMITS: JsonLimits = { maxBytes: 1 << 20, maxDepth: 8, maxItems: 100, largeStringBytes: 16 }

/** Feeds `text` to a scanner in chunks of `size` bytes and parses it as the body reader does. */
function scanAndParse(text: string, size: number, limits = LIMITS): unknown {
  const body = Buffer.from(text)
  const scanner = new JsonShapeScanner(limits)
  const chunks: Buffer[] = []
  for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size))
  for (const chunk of chunks) scanner.feed(chunk)
  return parseScannedJson(chunks, scanner.largeStrings, limits.maxParsedBytes)
}

describe('JSON shape scanner', () => {
  it('refuses nesting deeper than the limit at the first chunk that passes it, without seeing the rest', () => {
    const scanner = new JsonShapeScanner(LIMITS)
    expect(() => scanner.feed(Buffer.from('['.repeat(9)))).toThrow(JsonShapeError)
    expect(() => new JsonShapeScanner(LIMITS).feed(Buffer.from('['.repeat(8) + ']'.repeat(8)))).not.toThrow()
  })

  it('does not count brackets, braces or commas inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[[[[[[[ {{{{{{{{{ ,,,,, \\" "]]]]' })
    expect(scanAndParse(text, 3, { ...LIMITS, largeStringBytes: undefined })).toEqual(JSON.parse(text))
  })

  it('refuses more items than the limit: many small values are what makes JSON.parse slow', () => {
    expect(() => scanAndParse(JSON.stringify(Array.from({ length: 101 }, () => 0)), 64)).toThrow(/条目超过 100/)
    expect(scanAndParse(JSON.stringify(Array.from({ length: 99 }, () => 0)), 64)).toHaveLength(99)
  })

  it('keeps long strings out of JSON.parse as LargeText over the raw bytes, whatever the chunk boundaries', () => {
    const long = 'QUJD'.repeat(10)
    const text = JSON.stringify({ plate: '豫A12345', images: { front: long, rear: 'short' }, note: 'a\\"b' })
    for (const size of [1, 2, 7, 64, 1000]) {
      const value = scanAndParse(text, size) as { plate: string; images: { front: LargeText; rear: string }; note: string }
      expect(value.plate).toBe('豫A12345')
      expect(value.images.rear).toBe('short')
      expect(value.note).toBe('a\\"b')
      expect(value.images.front).toBeInstanceOf(LargeText)
      expect(value.images.front.latin1(0, value.images.front.length)).toBe(long)
    }
  })

  it('a string that spells the placeholder of a long one stays a string (the placeholder carries a nonce)', () => {
    const value = scanAndParse(JSON.stringify({ a: '\u00000:0', b: 'x'.repeat(20) }), 5) as { a: string; b: LargeText }
    expect(value.a).toBe('\u00000:0')
    expect(value.b).toBeInstanceOf(LargeText)
  })

  it('refuses a body whose text outside its long strings is more than JSON.parse may be given', () => {
    const many = JSON.stringify(Array.from({ length: 50 }, () => 'x'.repeat(15)))
    expect(() => scanAndParse(many, 64, { ...LIMITS, maxParsedBytes: 500 })).toThrow(/超过 500 字节/)
    const photos = JSON.stringify(Array.from({ length: 10 }, () => 'x'.repeat(100)))
    expect(scanAndParse(photos, 64, { ...LIMITS, maxParsedBytes: 500 })).toHaveLength(10)
  })

  it('leaves the grammar to JSON.parse: broken JSON still throws there', () => {
    expect(() => scanAndParse('{"plate": "豫A', 4)).toThrow(SyntaxError)
  })
})

describe('base64 photos decoded in slices', () => {
  const jpeg = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256))
  const text = jpeg.toString('base64')

  const same = (decoded: Buffer | null) => expect(decoded !== null && decoded.equals(jpeg)).toBe(true)

  it('decodes a string and a LargeText, with a data: prefix, line breaks and JSON escapes, to the same bytes', async () => {
    same(await decodeBase64Jpeg(text))
    same(await decodeBase64Jpeg(`data:image/jpeg;base64,${text.replace(/(.{76})/g, '$1\r\n')}`))
    const escaped = JSON.stringify(`data:image/jpeg;base64,${text.replace(/(.{76})/g, '$1\n')}`).slice(1, -1).replaceAll('/', '\\/')
    same(await decodeBase64Jpeg(new LargeText([Buffer.from(escaped.slice(0, 1001)), Buffer.from(escaped.slice(1001))])))
    same(await decodeBase64Jpeg(new LargeText([Buffer.from(text.replace('A', '\\u0041'))])))
  })

  it('refuses text that is not base64: a stray character, data after the padding, an unknown escape', async () => {
    expect(await decodeBase64Jpeg('***not base64***')).toBeNull()
    expect(await decodeBase64Jpeg('QUJD=QUJD')).toBeNull()
    expect(await decodeBase64Jpeg(new LargeText([Buffer.from('QUJD\\x41')]))).toBeNull()
    expect(await decodeBase64Jpeg('QUJDŁ')).toBeNull()
  })
})

describe('addresses', () => {
  it('parses IPv4, IPv6 and IPv4-mapped addresses and blocks, and nothing else', () => {
    expect(parseAddressBlock('192.168.1.64')).toEqual({ address: '192.168.1.64', prefix: 32, type: 'ipv4' })
    expect(parseAddressBlock('10.1.2.0/24')).toEqual({ address: '10.1.2.0', prefix: 24, type: 'ipv4' })
    expect(parseAddressBlock('::ffff:10.1.2.0/120')).toEqual({ address: '10.1.2.0', prefix: 24, type: 'ipv4' })
    expect(parseAddressBlock('fd00::/8')).toEqual({ address: 'fd00::', prefix: 8, type: 'ipv6' })
    for (const bad of ['camera.local', '10.1.2.0/33', '10.1.2/24', '::1/129', '', '1.2.3.4/24/1']) expect(parseAddressBlock(bad)).toBeNull()
  })

  it('matches a socket address against the list, IPv4 as a dual-stack socket reports it included', () => {
    const list = new AddressList(['192.168.1.64', '10.1.2.0/24', 'fd00:1::/32'])
    expect(list.has('192.168.1.64')).toBe(true)
    expect(list.has('::ffff:192.168.1.64')).toBe(true)
    expect(list.has('10.1.2.200')).toBe(true)
    expect(list.has('fd00:1::5')).toBe(true)
    expect(list.has('192.168.1.65')).toBe(false)
    expect(list.has('fd00:2::5')).toBe(false)
    expect(list.has('garbage')).toBe(false)
  })

  it('tells loopback listen hosts from LAN ones', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) expect(isLoopbackHost(host)).toBe(false)
  })

  it('accepts a Host naming this server by address or as configured, on its port; refuses any other name (DNS rebinding)', () => {
    expect(hostHeaderAllowed('127.0.0.1:5780', '127.0.0.1', 5780)).toBe(true)
    expect(hostHeaderAllowed('localhost:5780', '127.0.0.1', 5780)).toBe(true)
    expect(hostHeaderAllowed('[::1]:5780', '127.0.0.1', 5780)).toBe(true)
    expect(hostHeaderAllowed('192.168.1.10:5780', '0.0.0.0', 5780)).toBe(true)
    expect(hostHeaderAllowed('booth.plant.local:5780', 'booth.plant.local', 5780)).toBe(true)
    expect(hostHeaderAllowed('rebind.attacker.example:5780', '127.0.0.1', 5780)).toBe(false)
    expect(hostHeaderAllowed('127.0.0.1:5781', '127.0.0.1', 5780)).toBe(false)
    expect(hostHeaderAllowed('127.0.0.1', '127.0.0.1', 5780)).toBe(false)
    expect(hostHeaderAllowed(undefined, '127.0.0.1', 5780)).toBe(false)
    expect(hostHeaderAllowed('a:b:c', '127.0.0.1', 5780)).toBe(false)
  })
})
