import type { AppInfo, Passage } from '@shared/contract'
import { ApiFailure, createRouter, EventBus, type Router } from './api'
import { AuditLog } from './audit'
import { authHandlers, Authenticator, DEMO_USERS, LoginThrottle, SessionStore, Users } from './auth'
import type { GateConfig } from './config'
import { startLprIngress, type LprIngress } from './ingress/lpr-push'
import { LaneService, UnknownLaneError } from './lane'
import type { Log } from './log'
import { PlatformClient } from './platform'
import { openStore, type Store } from './store'
import { SyncWorker } from './sync'

export interface AppOptions {
  config: GateConfig
  /** The platform password, from the environment or the OS key store; never from the config file. */
  platformPassword: string
  version: string
  demo: boolean
  log: Log
}

export interface App {
  router: Router
  events: EventBus
  store: Store
  sync: SyncWorker
  lpr: LprIngress
  /** Logged-in sessions, shared by the transports (HTTP cookie, Electron webContents). */
  sessions: SessionStore
  audit: AuditLog
  users: Users
  close(): Promise<void>
}

/**
 * The composition root shared by the Electron shell and the headless host: config → store → platform → lanes →
 * sync → API. Transports (IPC, HTTP+WebSocket) attach to the returned router and event bus.
 */
export async function createApp({ config, platformPassword, version, demo, log }: AppOptions): Promise<App> {
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

  const users = new Users(store.db)
  const audit = new AuditLog(store.db)
  const sessions = new SessionStore()
  if (demo && users.count() === 0) for (const user of DEMO_USERS) await users.add(user)
  const notYetMerged = (command: string) => () => {
    // MERGE PLACEHOLDER (Guard UI branch): the lane / devices engineers implement these; the lead replaces them.
    throw new ApiFailure('internal', `${command} 尚未实现`)
  }

  const router = createRouter(
    {
      ...authHandlers({ authenticator: new Authenticator(users, new LoginThrottle(), audit), users, audit }),
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
      'passages.list': (filter) => store.passages.list(filter),
      'passage.photos': ({ passageId }) => {
        if (!store.passages.get(passageId)) throw new ApiFailure('not_found', `没有编号为 ${passageId} 的过车记录`)
        return store.photos.forPassage(passageId).map((photo) => ({
          zpbh: photo.zpbh,
          zplx: photo.zplx,
          takenAt: new Date(photo.takenAt).toISOString(),
          jpegBase64: store.photoFiles.read(photo).toString('base64')
        }))
      },
      'lanes.state': notYetMerged('lanes.state'),
      'lane.release': notYetMerged('lane.release'),
      'lane.refuse': notYetMerged('lane.refuse'),
      'passage.correctPlate': notYetMerged('passage.correctPlate'),
      'lane.recapture': notYetMerged('lane.recapture'),
      'alarms.list': notYetMerged('alarms.list'),
      'alarms.ack': notYetMerged('alarms.ack'),
      'devices.health': notYetMerged('devices.health'),
      'sync.status': () => sync.status(),
      'sync.now': () => {
        sync.kick()
        return sync.status()
      }
    },
    log,
    (entry) => audit.append(entry)
  )

  const lpr = await startLprIngress({ host: config.lpr.host, port: config.lpr.port, handle: (read) => lanes.handlePlateRead(read) })
  sync.start()
  log(`booth ready: ${config.lanes.length} lane(s), data in ${config.dataDir}, lpr push at ${lpr.url}/lpr/{laneId}`)

  return {
    router,
    events,
    store,
    sync,
    lpr,
    sessions,
    audit,
    users,
    async close() {
      await lpr.close()
      await sync.stop()
      store.close()
    }
  }
}
