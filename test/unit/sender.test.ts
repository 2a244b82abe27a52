import { describe, expect, it } from 'vitest'
import { isTrustedSender } from '../../src/main/core/api'

const index = 'file:///opt/gate-booth/resources/app/out/renderer/index.html'

describe('isTrustedSender', () => {
  it('trusts only the main frame of the app page', () => {
    expect(isTrustedSender(index, index, true)).toBe(true)
    expect(isTrustedSender(`${index}#/journal`, index, true)).toBe(true)
    expect(isTrustedSender(index, index, false)).toBe(false)
  })

  it('refuses other pages, other schemes and garbage', () => {
    expect(isTrustedSender('file:///tmp/evil.html', index, true)).toBe(false)
    expect(isTrustedSender('https://example.com/out/renderer/index.html', index, true)).toBe(false)
    expect(isTrustedSender('not a url', index, true)).toBe(false)
  })
})
