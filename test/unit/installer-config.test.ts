import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
// electron-builder's own validation: its JSON schema plus the checks it runs before every build.
import { validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { repoRoot } from '../integration/support'

const load = () => JSON.parse(readFileSync(join(repoRoot, 'electron-builder.json'), 'utf8')) as Record<string, any>

describe('electron-builder configuration', () => {
  it('is valid against electron-builder\'s schema', async () => {
    const config = load()
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('would be refused if it were wrong (the validation is real)', async () => {
    const config = { ...load(), nsis: { ...load().nsis, oneClick: 'no' } }
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/oneClick/)
    // The fuses are in the schema too: a misspelt one is refused, not silently ignored.
    const fuses = { ...load(), electronFuses: { ...load().electronFuses, runAsNod: false } }
    await expect(validateConfiguration(fuses, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/)
  })

  it('builds a Windows NSIS installer, a Linux AppImage and deb, with native modules rebuilt and unpacked', () => {
    const config = load()
    expect(config.win.target.map((target: { target: string }) => target.target)).toEqual(['nsis'])
    expect(config.linux.target.map((target: { target: string }) => target.target)).toEqual(['AppImage', 'deb'])
    expect(config.npmRebuild).toBe(true)
    // ffmpeg/ffprobe are executables run as child processes: they cannot run from inside app.asar (booth/video/remux.ts).
    for (const native of ['better-sqlite3', '@serialport', 'sharp', '@ffmpeg-installer', '@ffprobe-installer']) {
      expect(config.asarUnpack.some((glob: string) => glob.includes(`/node_modules/${native}/`))).toBe(true)
    }
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    expect(pkg.main).toBe('out/main/index.js')
    expect(config.files).toContain('out/**/*')
  })

  it('takes the app icon and the installer pictures from resources/, and they are what each platform needs', async () => {
    const config = load()
    expect(config.directories.buildResources).toBe('resources')
    const pngSize = async (file: string) => {
      const { format, width, height } = await sharp(join(repoRoot, file)).metadata()
      return `${format} ${width}x${height}`
    }
    expect(config.linux.icon).toBe('resources/icon.png')
    expect(await pngSize(config.linux.icon)).toBe('png 512x512')
    // The window's own icon (Linux) is packed into the app.
    expect(config.files).toContain('resources/icon-256.png')
    expect(await pngSize('resources/icon-256.png')).toBe('png 256x256')

    // Windows: the .exe, the installer, the uninstaller and the installer's header all use the .ico, which must hold 256×256.
    for (const icon of [config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon, config.nsis.installerHeaderIcon]) expect(icon).toBe('resources/icon.ico')
    const ico = readFileSync(join(repoRoot, 'resources/icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
      const entry = 6 + 16 * index
      const [width, length, offset] = [ico[entry]! || 256, ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)]
      return { width, image: ico.subarray(offset, offset + length) }
    })
    expect(entries.map((entry) => entry.width)).toEqual(expect.arrayContaining([16, 32, 48, 256]))
    for (const { width, image } of entries) expect((await sharp(image).metadata()).width).toBe(width)

    // NSIS wants its sidebar as a 164×314 24-bit BMP.
    for (const sidebar of [config.nsis.installerSidebar, config.nsis.uninstallerSidebar]) {
      const bmp = readFileSync(join(repoRoot, sidebar))
      expect([bmp.toString('latin1', 0, 2), bmp.readInt32LE(18), bmp.readInt32LE(22), bmp.readUInt16LE(28)]).toEqual(['BM', 164, 314, 24])
    }
  })

  it('sets the Electron fuses that keep the installed binary from being anything but this app', () => {
    expect(load().electronFuses).toEqual({
      // ELECTRON_RUN_AS_NODE cannot turn gate-booth.exe into a Node interpreter (demo simulators use utilityProcess).
      runAsNode: false,
      // NODE_OPTIONS / NODE_EXTRA_CA_CERTS cannot inject code or trust into the main process.
      enableNodeOptionsEnvironmentVariable: false,
      // --inspect and SIGUSR1 cannot open a debugger on the main process.
      enableNodeCliInspectArguments: false,
      // The app code is checked against the hash built into the binary, and only loaded from app.asar.
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // Cookies on disk are encrypted with the OS key store.
      enableCookieEncryption: true,
      // The UI comes from app://, so file:// pages get no more than a browser gives them.
      grantFileProtocolExtraPrivileges: false
    })
  })
})
