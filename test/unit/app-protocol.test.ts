import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveStaticPath } from '../../src/main/core/http/static-path'
import { APP_INDEX_URL, appRequestFile, mayNavigate, mayOpenExternally } from '../../src/main/shell/app-protocol'

const root = '/opt/gate-booth/resources/app.asar/out/renderer'

describe('resolveStaticPath', () => {
  it('maps a URL path onto a file under the folder, / onto the app shell', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/index.html')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/index-Bx1.js')).toBe(join(root, 'assets/index-Bx1.js'))
    expect(resolveStaticPath(root, '/assets/%E5%9B%BE.png')).toBe(join(root, 'assets/图.png'))
    expect(resolveStaticPath(`${root}/`, '/assets/./a.css')).toBe(join(root, 'assets/a.css'))
  })

  it('refuses .. in every spelling: plain, percent-encoded, with backslashes', () => {
    for (const path of ['/../secrets.key', '/assets/../../main/index.js', '/%2e%2e/secrets.key', '/%2E%2E%2Fsecrets.key', '/assets/%2e%2e%2f%2e%2e%2fx', '/..%5c..%5cwindows%5cwin.ini', '/assets\\..\\..\\x']) {
      expect(resolveStaticPath(root, path), path).toBeNull()
    }
  })

  it('keeps absolute paths inside the folder and refuses drive letters, streams, NUL and bad escapes', () => {
    expect(resolveStaticPath(root, '//etc/passwd')).toBe(join(root, 'etc/passwd'))
    expect(resolveStaticPath(root, '/%2Fetc%2Fpasswd')).toBe(join(root, 'etc/passwd'))
    for (const path of ['/C:/Windows/win.ini', '/c:%5cwindows', '/index.html::$DATA', '/index.html%00.png', '/%E0%A4%A', '/%']) {
      expect(resolveStaticPath(root, path), path).toBeNull()
    }
  })
})

describe('app:// protocol', () => {
  it('serves out/renderer on app://booth only', () => {
    expect(appRequestFile(APP_INDEX_URL, root)).toBe(join(root, 'index.html'))
    expect(appRequestFile('app://booth/assets/index.js?v=1#x', root)).toBe(join(root, 'assets/index.js'))
    expect(appRequestFile('app://other/index.html', root)).toBeNull()
    expect(appRequestFile('file:///etc/passwd', root)).toBeNull()
    // The URL parser resolves whole dot segments (also %2e%2e) and stops at the origin's root: still inside the folder.
    expect(appRequestFile('app://booth/%2e%2e/%2e%2e/main/index.js', root)).toBe(join(root, 'main/index.js'))
    // Encoded slashes survive the parser; decoded they would climb out, so they are refused.
    expect(appRequestFile('app://booth/assets/..%2f..%2fmain%2findex.js', root)).toBeNull()
    expect(appRequestFile('app://booth/assets/..%5c..%5cmain%5cindex.js', root)).toBeNull()
    expect(appRequestFile('not a url', root)).toBeNull()
  })

  it('lets the window load the app page and nothing else', () => {
    expect(mayNavigate(APP_INDEX_URL)).toBe(true)
    expect(mayNavigate('app://booth/')).toBe(true)
    expect(mayNavigate(`${APP_INDEX_URL}#journal`)).toBe(true)
    for (const url of ['app://booth/assets/index.js', 'app://other/index.html', 'file:///opt/gate-booth/out/renderer/index.html', 'https://example.com/', 'http://127.0.0.1:5780/', 'javascript:alert(1)', '']) {
      expect(mayNavigate(url), url).toBe(false)
    }
  })
})

describe('openExternal allow-list', () => {
  const allowed = ['https://help.plant.example', 'https://hb.henan.gov.cn:8443/']

  it('opens https links whose origin is on the list', () => {
    expect(mayOpenExternally('https://help.plant.example/manual.html#gate', allowed)).toBe(true)
    expect(mayOpenExternally('https://hb.henan.gov.cn:8443/ysgk', allowed)).toBe(true)
  })

  it('refuses everything else: other origins and ports, http, other schemes, credentials, an empty list', () => {
    for (const url of [
      'https://help.plant.example.evil.com/',
      'https://evil.com/?https://help.plant.example',
      'https://hb.henan.gov.cn/ysgk',
      'http://help.plant.example/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://help.plant.example/share',
      'https://user:pw@help.plant.example/',
      'not a url'
    ]) {
      expect(mayOpenExternally(url, allowed), url).toBe(false)
    }
    expect(mayOpenExternally('https://help.plant.example/', [])).toBe(false)
    expect(mayOpenExternally('https://help.plant.example/', ['not an origin'])).toBe(false)
  })
})
