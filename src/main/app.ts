import type { AppInfo, DeadLetterView, Passage } from '@shared/contract'
import { ApiFailure, createRouter, EventBus, type Router } from './api'
import type { GateConfig } from './config'
import { startLprIngress, type LprIngress } from './ingress/lpr-push'
import { LaneService, UnknownLaneError } from './lane'
import type { Log } from './log'
import { PlatformClient } from './platform'
import { openStore, type DeadLetter, type Store } from './store'
import { SyncWorker, unknownFields } from './sync'

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
    concurrency: config.sync.concurrency,
    compactAfterDays: config.sync.compactAfterDays,
    // The lead wires the platform's preflightProblems(ipctype, value) here at merge.
    validate: () => [],
    log,
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
      'outbox.deadLetters': ({ limit }) => store.outbox.deadLetters(limit).map(deadLetterView),
      'outbox.fix': ({ id, changes }, { actor }) => {
        const item = store.outbox.get(id)
        if (!item || store.outbox.state(id) !== 'dead') throw new ApiFailure('not_found', `没有编号为 ${id} 的待处理失败上传`)
        const unknown = unknownFields(item.payload, changes)
        if (unknown.length > 0) return { requeued: false, problems: unknown, deadLetter: deadLetterOf(id) }
        store.outbox.fix(id, changes, actor?.name ?? 'unknown', Date.now())
        const fixed = store.outbox.get(id)!
        const problems = sync.validate(fixed.kind, fixed.payload)
        const requeued = problems.length === 0 && store.outbox.requeue(id, Date.now())
        if (requeued) sync.requeued()
        return { requeued, problems, deadLetter: requeued ? null : deadLetterOf(id) }
      },
      'outbox.requeue': ({ id }) => {
        const requeued = store.outbox.requeue(id, Date.now())
        if (!requeued) throw new ApiFailure('not_found', `没有编号为 ${id} 的待处理失败上传`)
        sync.requeued()
        return { requeued }
      }
    },
    log
  )

  function deadLetterOf(id: number) {
    const found = store.outbox.deadLetter(id)
    return found ? deadLetterView(found) : null
  }

  const lpr = await startLprIngress({ host: config.lpr.host, port: config.lpr.port, handle: (read) => lanes.handlePlateRead(read) })
  sync.start()
  log(`booth ready: ${config.lanes.length} lane(s), data in ${config.dataDir}, lpr push at ${lpr.url}/lpr/{laneId}`)

  return {
    router,
    events,
    store,
    sync,
    lpr,
    async close() {
      await lpr.close()
      await sync.stop()
      store.close()
    }
  }
}

function deadLetterView(letter: DeadLetter): DeadLetterView {
  return {
    ...letter,
    createdAt: new Date(letter.createdAt).toISOString(),
    fixedAt: letter.fixedAt === null ? null : new Date(letter.fixedAt).toISOString()
  }
}
