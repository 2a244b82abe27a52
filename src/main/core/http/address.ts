import { BlockList, isIP } from 'node:net'

/** An IPv4 address as a dual-stack socket reports it (::ffff:10.1.2.3) is the IPv4 address itself. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1]! : address.toLowerCase()
}

function family(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address)
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null
}

/** An IP address or a CIDR block (10.1.2.0/24, fd00::/8, ::ffff:10.1.2.3), or null when it is neither. */
export function parseAddressBlock(entry: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [rawAddress, rawPrefix, ...rest] = entry.trim().split('/')
  if (rest.length > 0 || !rawAddress) return null
  const written = rawAddress.replace(/^\[|\]$/g, '').toLowerCase()
  const address = normalizeAddress(written)
  const type = family(address)
  if (!type) return null
  const max = type === 'ipv4' ? 32 : 128
  let prefix = max
  if (rawPrefix !== undefined) {
    if (!/^\d{1,3}$/.test(rawPrefix)) return null
    prefix = Number(rawPrefix)
    // ::ffff:10.1.2.0/120 is the IPv4 block 10.1.2.0/24.
    if (address !== written) prefix -= 96
    if (prefix < 0 || prefix > max) return null
  }
  return { address, prefix, type }
}

/** A set of addresses and blocks, matched against a socket's remote address. */
export class AddressList {
  private readonly list = new BlockList()
  readonly size: number

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const block = parseAddressBlock(entry)
      if (!block) throw new Error(`not an IP address or CIDR block: ${entry}`)
      this.list.addSubnet(block.address, block.prefix, block.type)
    }
    this.size = entries.length
  }

  has(remoteAddress: string): boolean {
    const address = normalizeAddress(remoteAddress)
    const type = family(address)
    return type !== null && this.list.check(address, type)
  }
}

const LOOPBACK = new AddressList(['127.0.0.0/8', '::1'])

export function isLoopbackAddress(remoteAddress: string): boolean {
  return LOOPBACK.has(remoteAddress)
}

/** Whether a listen host keeps a port on this machine (127.x, ::1, localhost) rather than open to the LAN. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host.replace(/^\[|\]$/g, ''))
}

/**
 * Whether a Host header may reach a server bound to `boundHost:port`. An IP literal or localhost is always fine:
 * a browser page's origin then is that address itself, so DNS rebinding cannot hide behind it. Any other name is
 * accepted only when it is the configured host; a rebinding page's requests carry its own domain and are refused.
 */
export function hostHeaderAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  if (!header) return false
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(header.trim())
  if (!match) return false
  const name = match[1]!.toLowerCase()
  if ((match[2] === undefined ? 80 : Number(match[2])) !== port) return false
  if (name === 'localhost' || isIP(name.replace(/^\[|\]$/g, '')) !== 0) return true
  return name === boundHost.toLowerCase()
}
