import { describe, expect, it } from 'vitest'
import { isTrustedSender } from '../../src/main/core/api'
import { APP_INDEX_URL, APP_ORIGIN } from '../../src/main/shell/app-protocol'

describe('isTrustedSender', () => {
  it('trusts only the main frame of a page on the app origin', () => {
    expect(isTrustedSender(APP_INDEX_URL, APP_ORIGIN, true)).toBe(true)
    expect(isTrustedSender(`${APP_INDEX_URL}#/journal`, APP_ORIGIN, true)).toBe(true)
    expect(isTrustedSender(APP_INDEX_URL, APP_ORIGIN, false)).toBe(false)
  })

  it('refuses local files (the old way of loading the page), other origins, other schemes and garbage', () => {
    expect(isTrustedSender('file:///opt/gate-booth/resources/app.asar/out/renderer/index.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('file:///tmp/evil.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('app://other/index.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('app://booth.evil/index.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('app://user:pw@booth/index.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('https://booth/index.html', APP_ORIGIN, true)).toBe(false)
    expect(isTrustedSender('not a url', APP_ORIGIN, true)).toBe(false)
  })
})
