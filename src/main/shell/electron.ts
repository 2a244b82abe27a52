/**
 * The Electron shell: one window, one instance, the IPC transport of the API contract. Everything else is the same
 * core the headless host runs (app.ts). Only this file imports 'electron'.
 *
 *   electron out/main/index.js [--config FILE]      (no config: demo mode with the simulated city platform)
 *   … [--accept-empty-database] [--accept-missing-wal]   (docs/operations.md, start-up integrity)
 */
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { app as electronApp, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron'
import { wire } from '@shared/contract'
import { isTrustedSender, sessionContext } from '../core/api'
import { createApp, type App } from './app'
import { demoConfig, DEMO_LANE_IDS, DEMO_PLATFORM, loadConfigFile } from '../core/config'
import { startDemoCameras, startDemoDevices, startDemoPlatform, type DemoPlatform } from './demo'
import { createLog } from '../core/log'
import type { PdfPrinter } from '../core/reports'
import { StartupRefusal } from '../core/retention'
import { keyFileSecrets, readSecretFromStdin, resolvePlatformPassword, SecretsFile, type SecretBox } from '../core/secrets'

const log = createLog('electron')
const rendererIndex = fileURLToPath(new URL('../renderer/index.html', import.meta.url))
const rendererIndexUrl = pathToFileURL(rendererIndex).href
const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
/** One login session per window (webContents id → token), the IPC twin of the host's cookie: api/session-binding.ts. */
const sessionTokens = new Map<number, string>()

async function startCore(): Promise<{ core: App; demo: Pick<DemoPlatform, 'stop'> | null }> {
  const { values } = parseArgs({
    args: process.argv.slice(electronApp.isPackaged ? 1 : 2),
    options: { config: { type: 'string' }, 'accept-empty-database': { type: 'boolean' }, 'accept-missing-wal': { type: 'boolean' } },
    strict: false
  })
  const configFile = typeof values.config === 'string' ? values.config : process.env.GATE_CONFIG
  const startup = { acceptEmptyDatabase: values['accept-empty-database'] === true, acceptMissingWal: values['accept-missing-wal'] === true }
  if (configFile) {
    const config = loadConfigFile(configFile)
    if (electronApp.isPackaged) electronApp.setLoginItemSettings({ openAtLogin: config.shell.openAtLogin })
    // The OS key store (safeStorage) first; the key file of the headless host where the OS has none (Linux without a keyring).
    const safe = safeStorageSecrets(config.dataDir)
    const password = await resolvePlatformPassword(config, process.env, () => safe ?? keyFileSecrets(config, { createKey: false }))
    return {
      core: await createApp({ config, platformPassword: password, version: electronApp.getVersion(), demo: false, log, printPdf: printWithElectron, startup }),
      demo: null
    }
  }
  const platform = await startDemoPlatform(fileURLToPath(new URL('./sim-platform.js', import.meta.url)))
  const devices = await startDemoDevices(fileURLToPath(new URL('.', import.meta.url)), DEMO_LANE_IDS)
  const config = demoConfig({ dataDir: join(electronApp.getPath('userData'), 'demo'), platformBaseUrl: platform.baseUrl, devices: devices.lanes })
  const cameras = await startDemoCameras(fileURLToPath(new URL('./sim-onvif.js', import.meta.url)), config)
  const demo = { stop: () => (platform.stop(), devices.stop(), cameras.stop()) }
  const core = await createApp({ config: cameras.config, platformPassword: DEMO_PLATFORM.password, version: electronApp.getVersion(), demo: true, log, secrets: cameras.secrets, printPdf: printWithElectron })
  return { core, demo }
}

/** dataDir/secrets.safestorage sealed by the OS key store (DPAPI on Windows), or null when the OS offers none. */
function safeStorageSecrets(dataDir: string): SecretsFile | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  const box: SecretBox = { seal: async (plain) => safeStorage.encryptString(plain), open: async (sealed) => safeStorage.decryptString(sealed) }
  return new SecretsFile(join(dataDir, 'secrets.safestorage'), box)
}

/** `gate-booth --config FILE --set-platform-password < password`: seals it with safeStorage and exits. */
async function setPlatformPassword(configFile: string): Promise<void> {
  const config = loadConfigFile(configFile)
  const secrets = safeStorageSecrets(config.dataDir)
  if (!secrets) throw new Error('safeStorage is not available here: use npm run secrets -- set-platform-password (key file)')
  await secrets.set('platformPassword', await readSecretFromStdin())
  log(`platform password sealed in ${secrets.path}`)
}

/** PDF reports printed by Chromium inside Electron, from a hidden window that runs no script. */
const printWithElectron: PdfPrinter = async (html) => {
  const window = new BrowserWindow({ show: false, webPreferences: { sandbox: true, javascript: false, contextIsolation: true } })
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`)
    return await window.webContents.printToPDF({ landscape: true, pageSize: 'A4', printBackground: true })
  } finally {
    window.destroy()
  }
}

function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  electronApp.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== rendererIndexUrl) event.preventDefault()
    })
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

function openWindow(core: App): BrowserWindow {
  const window = new BrowserWindow({
    width: 1366,
    height: 768,
    title: '门岗道闸管理',
    show: false,
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true }
  })
  window.once('ready-to-show', () => window.show())
  const unsubscribe = core.events.subscribe((event, payload) => {
    // Like the host's WebSocket: events only reach a window while someone is logged in there.
    if (!window.isDestroyed() && core.sessions.isLive(sessionTokens.get(window.webContents.id) ?? '')) window.webContents.send(wire.ipcEvent, event, payload)
  })
  window.on('closed', unsubscribe)
  void window.loadFile(rendererIndex)
  return window
}

async function main(): Promise<void> {
  if (!electronApp.requestSingleInstanceLock()) {
    electronApp.quit()
    return
  }
  await electronApp.whenReady()
  const { values } = parseArgs({ args: process.argv.slice(electronApp.isPackaged ? 1 : 2), options: { config: { type: 'string' }, 'set-platform-password': { type: 'boolean' } }, strict: false })
  if (values['set-platform-password'] === true && typeof values.config === 'string') {
    await setPlatformPassword(values.config)
    electronApp.exit(0)
    return
  }
  lockDownSessions()
  const { core, demo } = await startCore()

  const watchedContents = new Set<number>()
  ipcMain.handle(wire.ipcInvoke, (event, command: unknown, input: unknown) => {
    const frame = event.senderFrame
    if (!frame || !isTrustedSender(frame.url, rendererIndexUrl, frame === event.sender.mainFrame)) {
      return { ok: false, error: { code: 'invalid_input', message: 'untrusted sender' } }
    }
    const contentsId = event.sender.id
    if (!watchedContents.has(contentsId)) {
      watchedContents.add(contentsId)
      event.sender.once('destroyed', () => {
        core.sessions.end(sessionTokens.get(contentsId) ?? '')
        sessionTokens.delete(contentsId)
      })
    }
    const context = sessionContext(core.sessions, sessionTokens.get(contentsId), `ipc:${contentsId}`, (token) =>
      token ? sessionTokens.set(contentsId, token) : sessionTokens.delete(contentsId)
    )
    return core.router.dispatch(String(command), input, context)
  })

  let window = openWindow(core)
  electronApp.on('second-instance', () => {
    if (window.isDestroyed()) window = openWindow(core)
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  electronApp.on('window-all-closed', () => electronApp.quit())
  electronApp.on('will-quit', () => {
    demo?.stop()
    void core.close()
  })
}

main().catch((error: unknown) => {
  log(`start-up failed: ${(error as Error).stack ?? String(error)}`)
  // The guard's PC has no console: a refused start says why in a box (one line, Chinese, naming the fix).
  if (error instanceof StartupRefusal) dialog.showErrorBox('岗亭程序无法启动', error.message)
  electronApp.exit(1)
})
