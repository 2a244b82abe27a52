import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo, Passage } from '@shared/contract'
import { ApiFailure, createRouter, EventBus, type Router } from './api'
import type { GateConfig } from './config'
import type { HealthReport } from './health'
import { startLprIngress, type LprIngress } from './ingress/lpr-push'
import { LaneService, UnknownLaneError } from './lane'
import { registerSecret, startLogFiles, stopLogFiles, type Log } from './log'
import { PlatformClient } from './platform'
import { createOperations } from './operations'
import type { PdfPrinter } from './reports'
import { acquireRunLock } from './retention'
import { openStore, type Store } from './store'
import { SyncWorker } from './sync'

export interface AppOptions {
  config: GateConfig
  /** The platform password, from the environment or the OS key store; never from the config file. */
  platformPassword: string
  version: string
  demo: boolean
  log: Log
  /** How PDF reports are printed; default: a headless Chromium-family browser (config reports.pdfBrowserPath). */
  printPdf?: PdfPrinter
}

export interface App {
  router: Router
  events: EventBus
  store: Store
  sync: SyncWorker
  lpr: LprIngress
  /** Version, uptime, database, disk, outbox backlog and devices, for GET /health. */
  health(): HealthReport
  close(): Promise<void>
}

/**
 * The composition root shared by the Electron shell and the headless host: config → store → platform → lanes →
 * sync → API. Transports (IPC, HTTP+WebSocket) attach to the returned router and event bus.
 */
export async function createApp({ config, platformPassword, version, demo, log, printPdf }: AppOptions): Promise<App> {
  registerSecret(platformPassword)
  mkdirSync(config.dataDir, { recursive: true })
  startLogFiles(join(config.dataDir, 'logs'), config.logs)
  const runLock = acquireRunLock(config.dataDir)
  const store = openStore(config.dataDir)
  const events = new EventBus()
  const platform = new PlatformClient({
    baseUrl: config.platform.baseUrl,
    organ: config.platform.organ ?? config.enterprise.code,
    username: config.platform.username,
    password: platformPassword,
    requestTimeoutMs: config.platform.requestTimeoutMs
  })

  const publishPassage = (event: 'passage.recorded' | 'passage.updated', passage: Passage | null) => {
    if (passage) events.publish(event, passage)
  }
  const sync = new SyncWorker({
    store,
    platform,
    intervalMs: config.sync.intervalMs,
    maxBackoffMs: config.sync.maxBackoffMs,
    onPassageChanged: (id) => publishPassage('passage.updated', store.passages.get(id)),
    onStatus: (status) => events.publish('sync.status', status)
  })
  const lanes = new LaneService({
    lanes: config.lanes,
    enterprise: { code: config.enterprise.code, name: config.enterprise.name },
    store,
    verifier: platform,
    verifyBudgetMs: config.platform.verifyBudgetMs,
    onRecorded: (passage) => {
      publishPassage('passage.recorded', passage)
      events.publish('sync.status', sync.status())
      sync.kick()
    },
    log
  })

  const info: AppInfo = {
    version,
    demo,
    enterpriseCode: config.enterprise.code,
    enterpriseName: config.enterprise.name,
    lanes: config.lanes.map(({ id, name, gateCode, direction }) => ({ id, name, gateCode, direction }))
  }

  const operations = createOperations({ config, store, events, log, version, printPdf })

  const router = createRouter(
    {
      'app.info': () => info,
      'plate.submit': async ({ laneId, plate, colour }) => {
        try {
          const { passage } = await lanes.handlePlateRead({ laneId, plate, colour, at: Date.now(), source: 'manual' })
          return passage
        } catch (error) {
          if (error instanceof UnknownLaneError) throw new ApiFailure('unknown_lane', error.message)
          throw error
        }
      },
      'passages.list': ({ limit }) => store.passages.latest(limit),
      'sync.status': () => sync.status(),
      'sync.now': () => {
        sync.kick()
        return sync.status()
      },
      ...operations.handlers
    },
    log
  )

  const lpr = await startLprIngress({ host: config.lpr.host, port: config.lpr.port, handle: (read) => lanes.handlePlateRead(read) })
  sync.start()
  operations.start()
  log(`booth ready: ${config.lanes.length} lane(s), data in ${config.dataDir}, lpr push at ${lpr.url}/lpr/{laneId}`)

  return {
    router,
    events,
    store,
    sync,
    lpr,
    health: operations.health,
    async close() {
      operations.stop()
      await lpr.close()
      await sync.stop()
      store.close()
      runLock.release()
      stopLogFiles()
    }
  }
}
