/**
 * The Electron shell: one window, one instance, the IPC transport of the API contract. Everything else is the same
 * core the headless host runs (the single-gate role, roles/single-gate.ts). Only this file imports 'electron'.
 *
 *   electron out/main/index.js [--config FILE]      (no config: demo mode with the simulated city platform)
 *   … [--accept-empty-database] [--accept-missing-wal]   (docs/operations.md, start-up integrity)
 */
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { app as electronApp, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, utilityProcess } from 'electron'
import { wire } from '@shared/contract'
import { isTrustedSender, sessionContext } from '../core/api'
import { loadConfigFile } from '../core/config'
import { startSingleGate, type SingleGate } from '../roles/single-gate'
import { DemoSimulators, startDemo, type SimulatorSpawner } from './demo'
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, appRequestFile, mayNavigate, mayOpenExternally } from './app-protocol'
import { createLog } from '../core/log'
import type { PdfPrinter } from '../core/reports'
import { StartupRefusal } from '../core/retention'
import { keyFileSecrets, readSecretFromStdin, resolvePlatformPassword, SecretsFile, type SecretBox } from '../core/secrets'

const log = createLog('electron')
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url))
const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
/** The window's icon where the OS takes it from the window (Linux); Windows shows the .exe's (resources/icon.ico). */
const windowIcon = fileURLToPath(new URL('../../resources/icon-256.png', import.meta.url))
/** One login session per window (webContents id → token), the IPC twin of the host's cookie: api/session-binding.ts. */
const sessionTokens = new Map<number, string>()
/** `shell.externalLinks` of the config once loaded; nothing opens outside before that (or in demo mode). */
let externalLinks: readonly string[] = []

// Before ready: app:// is a standard, secure origin of its own (see app-protocol.ts), able to load ES modules.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])

/** Simulators run as Electron utility processes: with the RunAsNode fuse off, this binary cannot be run as Node. */
const utilitySpawner: SimulatorSpawner = (script, args, env) => {
  const child = utilityProcess.fork(script, args, {
    env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'inherit'],
    serviceName: basename(script, '.js')
  })
  let exited = false
  child.once('exit', () => (exited = true))
  return {
    get pid() {
      return child.pid
    },
    stdout: child.stdout!,
    onExit: (listener) => (exited ? listener(null) : child.once('exit', listener)),
    exited: () => exited,
    // A utility process has no signals to choose from: kill() ends it.
    kill: () => void child.kill()
  }
}

async function startCore(): Promise<{ core: SingleGate; simulators: DemoSimulators | null }> {
  const { values } = parseArgs({
    args: process.argv.slice(electronApp.isPackaged ? 1 : 2),
    options: { config: { type: 'string' }, 'accept-empty-database': { type: 'boolean' }, 'accept-missing-wal': { type: 'boolean' } },
    strict: false
  })
  const configFile = typeof values.config === 'string' ? values.config : process.env.GATE_CONFIG
  const startup = { acceptEmptyDatabase: values['accept-empty-database'] === true, acceptMissingWal: values['accept-missing-wal'] === true }
  if (configFile) {
    const config = loadConfigFile(configFile)
    externalLinks = config.shell.externalLinks
    if (electronApp.isPackaged) electronApp.setLoginItemSettings({ openAtLogin: config.shell.openAtLogin })
    // The OS key store (safeStorage) first; the key file of the headless host where the OS has none (Linux without a keyring).
    const safe = safeStorageSecrets(config.dataDir)
    const password = await resolvePlatformPassword(config, process.env, () => safe ?? keyFileSecrets(config, { createKey: false }))
    return {
      core: await startSingleGate({ config, platformPassword: password, version: electronApp.getVersion(), demo: false, log, printPdf: printWithElectron, startup }),
      simulators: null
    }
  }
  const simulators = new DemoSimulators(fileURLToPath(new URL('.', import.meta.url)), utilitySpawner)
  try {
    const demo = await startDemo(simulators, join(electronApp.getPath('userData'), 'demo'))
    const { config, platformPassword, secrets } = demo
    return { core: await startSingleGate({ config, platformPassword, version: electronApp.getVersion(), demo: true, log, secrets, printPdf: printWithElectron, startup }), simulators }
  } catch (error) {
    await simulators.stop()
    throw error
  }
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
  // The one permission granted: video (no sound) for the document camera of 识别证件, to the app's own pages.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    const videoOnly = permission === 'media' && 'mediaTypes' in details && (details.mediaTypes ?? []).every((type) => type === 'video')
    callback(videoOnly && mayNavigate(contents.getURL()))
  })
  // The renderer's files, and nothing else: appRequestFile refuses other hosts and paths leaving out/renderer.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appRequestFile(request.url, rendererDir)
    if (file === null) return new Response('forbidden', { status: 403 })
    return net.fetch(pathToFileURL(file).href).catch(() => new Response('not found', { status: 404 }))
  })
  electronApp.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!mayNavigate(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!mayNavigate(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (mayOpenExternally(url, externalLinks)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

function openWindow(core: SingleGate): BrowserWindow {
  const window = new BrowserWindow({
    width: 1366,
    height: 768,
    title: '门岗道闸管理',
    icon: windowIcon,
    show: false,
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true }
  })
  window.once('ready-to-show', () => window.show())
  const unsubscribe = core.events.subscribe((event, payload) => {
    // Like the host's WebSocket: events only reach a window while someone is logged in there.
    if (!window.isDestroyed() && core.sessions.isLive(sessionTokens.get(window.webContents.id) ?? '')) window.webContents.send(wire.ipcEvent, event, payload)
  })
  window.on('closed', unsubscribe)
  void window.loadURL(APP_INDEX_URL)
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
  const { core, simulators } = await startCore()

  const watchedContents = new Set<number>()
  ipcMain.handle(wire.ipcInvoke, (event, command: unknown, input: unknown) => {
    const frame = event.senderFrame
    if (!frame || !isTrustedSender(frame.url, APP_ORIGIN, frame === event.sender.mainFrame)) {
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
    void simulators?.stop()
    void core.close()
  })
}

main().catch((error: unknown) => {
  log(`start-up failed: ${(error as Error).stack ?? String(error)}`)
  // The guard's PC has no console: a refused start says why in a box (one line, Chinese, naming the fix).
  if (error instanceof StartupRefusal) dialog.showErrorBox('岗亭程序无法启动', error.message)
  electronApp.exit(1)
})
