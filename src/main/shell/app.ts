import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo, DeadLetterView, Passage } from '@shared/contract'
import { ApiFailure, createRouter, EventBus, type Router } from '../core/api'
import { AuditLog } from '../core/audit'
import { authHandlers, Authenticator, DEMO_USERS, LoginThrottle, SessionStore, Users } from '../core/auth'
import type { GateConfig } from '../core/config'
import { NoCameraError, startCameras, type Cameras } from '../booth/devices/camera'
import { DeviceRegistry, healthView, type LaneDevices as RegistryLaneDevices } from '../booth/devices'
import { AlarmService } from '../core/alarms'
import { CameraInbox, pushSecrets, startLprIngress, type LprIngress } from '../booth/ingress'
import { LaneActionError, LaneDriver, UnknownLaneError } from '../booth/lane'
import { ledgerHandlers, LedgerService } from '../core/ledgers'
import type { HealthReport } from '../core/health'
import { registerSecret, startLogFiles, stopLogFiles, type Log } from '../core/log'
import { createOperations } from '../core/operations'
import { preflightProblems, PlatformClient } from '../core/platform'
import type { PdfPrinter } from '../core/reports'
import { acquireRunLock } from '../core/retention'
import { openStore, type DeadLetter, type Store } from '../booth/store'
import { SyncWorker, unknownFields } from '../core/sync'

export interface AppOptions {
  config: GateConfig
  /** The platform password, from the environment or the OS key store; never from the config file. */
  platformPassword: string
  version: string
  demo: boolean
  log: Log
  /** Secrets by environment-variable name (demo mode); the real environment otherwise. */
  secrets?: Record<string, string>
  /** How PDF reports are printed; default: a headless Chromium-family browser (config reports.pdfBrowserPath). */
  printPdf?: PdfPrinter
}

export interface App {
  router: Router
  events: EventBus
  store: Store
  sync: SyncWorker
  lpr: LprIngress
  cameras: Cameras
  /** Every device; cameras register themselves here too. */
  devices: DeviceRegistry
  /** The serial devices each lane's config names, by lane id. */
  laneDevices: Map<string, RegistryLaneDevices>
  lanes: LaneDriver
  alarms: AlarmService
  /** Version, uptime, database, disk, outbox backlog and devices, for GET /health. */
  health(): HealthReport
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
export async function createApp({ config, platformPassword, version, demo, log, secrets, printPdf }: AppOptions): Promise<App> {
  registerSecret(platformPassword)
  const cameraSecrets = pushSecrets(config.lanes, (name) => secrets?.[name] ?? process.env[name])
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
    requestTimeoutMs: config.platform.requestTimeoutMs,
    wire: config.platform.wire,
    onClock: (clock) => {
      if (clock.skewed) {
        log(`booth clock is off by ${Math.round(clock.offsetMs / 1000)} s against the city platform`)
        alarms.clockSkew(clock.offsetMs)
      }
      events.publish('platform.clock', clock)
    }
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
    validate: preflightProblems,
    log,
    onPassageChanged: (id) => publishPassage('passage.updated', store.passages.get(id)),
    onItemChanged: (item) => ledgers.outboxSettled(item),
    onStatus: (status) => {
      events.publish('sync.status', status)
      alarms.syncBacklog(status, config.sync.backlogAlarmMinutes)
    }
  })
  const devices = new DeviceRegistry()
  devices.onHealth((health) => {
    events.publish('device.health', healthView(health))
    log(`device ${health.id}: ${health.status}${health.error ? ` (${health.error})` : ''}`)
  })
  const laneDevices = new Map(config.lanes.map((lane) => [lane.id, devices.addLane(lane)]))
  const timing = config.laneTiming
  const alarms = new AlarmService({
    store,
    dwellAlarmMinutes: timing.dwellAlarmMinutes,
    repeatedRefusals: timing.repeatedRefusals,
    repeatedRefusalWindowMinutes: timing.repeatedRefusalWindowMinutes,
    onRaised: (alarm) => events.publish('alarm.raised', alarm),
    onUpdated: (alarm) => events.publish('alarm.updated', alarm)
  })
  const lanes = new LaneDriver({
    lanes: config.lanes,
    enterprise: { code: config.enterprise.code, name: config.enterprise.name },
    store,
    verifier: platform,
    verifyBudgetMs: config.platform.verifyBudgetMs,
    timing,
    alarms,
    devices: (laneId) => laneDevices.get(laneId) ?? { barrier: null, display: null },
    // The cameras start after the lanes (they feed them plate reads); looked up when a forced pass needs a photo.
    snapshot: (laneId) => cameras.byLane.get(laneId)?.snapshot() ?? null,
    onPassage: (event, passage) => {
      publishPassage(event, passage)
      if (event === 'passage.updated') {
        events.publish('sync.status', sync.status())
        sync.kick()
      }
    },
    onState: (state) => events.publish('lane.state', state),
    log
  })
  const ledgers = new LedgerService({
    store,
    enterprise: config.enterprise,
    now: () => platform.correctedNow(),
    scaleOf: (laneId) => laneDevices.get(laneId)?.scale,
    onChanged: (ledger, id) => events.publish('ledger.changed', { ledger, id }),
    onQueued: () => sync.kick(),
    demo
  })
  const stopWatchingDevices = alarms.watch([devices])
  alarms.start(60_000)

  const actorName = (context: { actor: { name: string } | null }) => context.actor?.name ?? '未登录'
  const laneAction = async <T>(work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      if (error instanceof UnknownLaneError) throw new ApiFailure('unknown_lane', error.message)
      if (error instanceof LaneActionError) throw new ApiFailure(error.code, error.message)
      throw error
    }
  }

  const inbox = new CameraInbox({
    reads: store.cameraReads,
    photos: store.inboxPhotos,
    passages: store.passages,
    lanes,
    dedupWindowMs: timing.dedupWindowMs,
    clockToleranceMs: (laneId) => config.lanes.find((lane) => lane.id === laneId)?.camera.maxClockSkewMs ?? 300_000,
    alarms,
    now: () => platform.correctedNow(),
    log
  })
  const cameras = startCameras({
    lanes: config.lanes,
    secret: (name) => secrets?.[name] ?? process.env[name],
    handlePlateRead: (read) => inbox.accept(read),
    publish: (event, payload) => events.publish(event, payload),
    log
  })
  for (const camera of cameras.byLane.values()) devices.register(camera)

  const info: AppInfo = {
    version,
    demo,
    enterpriseCode: config.enterprise.code,
    enterpriseName: config.enterprise.name,
    lanes: config.lanes.map(({ id, name, gateCode, direction }) => ({ id, name, gateCode, direction }))
  }

  const operations = createOperations({ config, store, events, log, version, printPdf, devices: () => devices.list().map(healthView) })
  const users = new Users(store.db)
  const audit = new AuditLog(store.db)
  const sessions = new SessionStore()
  if (demo && users.count() === 0) for (const user of DEMO_USERS) await users.add(user)

  const router = createRouter(
    {
      ...authHandlers({ authenticator: new Authenticator(users, new LoginThrottle(), audit), users, audit }),
      'app.info': () => info,
      'plate.submit': async ({ laneId, plate, colour }) => {
        const result = await laneAction(() => lanes.handlePlateRead({ laneId, plate, colour, at: platform.correctedNow(), source: 'manual' }))
        // A queued truck is decided when its turn comes; the guard's entry waits for that decision.
        const passage = result.passage ?? (await result.decided)
        if (!passage) throw new ApiFailure('internal', `${plate} 未能形成通行记录`)
        return passage
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
      'lane.recapture': ({ laneId }, context) => laneAction(() => lanes.recapture(laneId, context.actor)),
      'sync.status': () => sync.status(),
      'sync.now': () => {
        sync.kick()
        return sync.status()
      },
      'camera.live.watch': ({ laneId, viewerId }) => {
        try {
          return cameras.watch(laneId, viewerId)
        } catch (error) {
          if (error instanceof NoCameraError) throw new ApiFailure('not_found', error.message)
          throw error
        }
      },
      'camera.live.unwatch': ({ laneId, viewerId }) => cameras.unwatch(laneId, viewerId),
      'platform.status': () => platform.status(),
      'devices.health': () => devices.list().map(healthView),
      'lanes.state': () => lanes.states(),
      'lane.release': (input, context) => laneAction(() => lanes.release(input, context.actor)),
      'lane.refuse': (input, context) => laneAction(() => lanes.refuse(input, context.actor)),
      'passage.correctPlate': (input, context) => laneAction(() => lanes.correctPlate(input, context.actor)),
      'controlMeasures.get': () => store.controlMeasures.get(),
      'controlMeasures.set': (input, context) => {
        store.transaction(() => {
          store.controlMeasures.set(input, actorName(context), Date.now())
          store.manualActions.add(
            { action: 'set_control_measures', actorId: context.actor?.userId ?? null, actorName: actorName(context), details: input },
            Date.now()
          )
        })
        return store.controlMeasures.get()
      },
      'localLists.list': ({ kind }) => store.localLists.list(kind),
      'localLists.add': ({ kind, plate, note }, context) =>
        store.transaction(() => {
          store.manualActions.add({ action: 'list_add', actorId: context.actor?.userId ?? null, actorName: actorName(context), plate, reason: kind, note }, Date.now())
          return store.localLists.add(kind, plate, note, actorName(context), Date.now())
        }),
      'localLists.remove': ({ kind, plate }, context) =>
        store.transaction(() => {
          store.manualActions.add({ action: 'list_remove', actorId: context.actor?.userId ?? null, actorName: actorName(context), plate, reason: kind }, Date.now())
          return { removed: store.localLists.remove(kind, plate) }
        }),
      'alarms.list': ({ limit, openOnly }) => alarms.list(limit, openOnly),
      'alarms.ack': ({ id, note }, context) => {
        const alarm = alarms.acknowledge(id, note, context.actor)
        if (!alarm) throw new ApiFailure('not_found', `告警 ${id} 不存在`)
        return alarm
      },
      ...operations.handlers,
      ...ledgerHandlers(ledgers),
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
    log,
    (entry) => audit.append(entry)
  )

  function deadLetterOf(id: number) {
    const found = store.outbox.deadLetter(id)
    return found ? deadLetterView(found) : null
  }

  const lpr = await startLprIngress({
    host: config.lpr.host,
    port: config.lpr.port,
    lanes: config.lanes,
    secrets: cameraSecrets,
    accept: (read) => inbox.accept(read),
    audit,
    alarms,
    log
  })
  inbox.resume().catch((error: unknown) => log(`camera inbox: reads not decided at the last stop could not be resumed: ${(error as Error).stack ?? String(error)}`))
  void platform.connect().then((outcome) => {
    if (outcome.kind !== 'ok') log(`city platform not reachable at start: ${outcome.reason}`)
  })
  sync.start()
  operations.start()
  log(`booth ready: ${config.lanes.length} lane(s), data in ${config.dataDir}, lpr push at ${lpr.url}/lpr/{laneId}`)

  return {
    router,
    events,
    store,
    sync,
    lpr,
    cameras,
    devices,
    laneDevices,
    lanes,
    alarms,
    health: operations.health,
    sessions,
    audit,
    users,
    async close() {
      operations.stop()
      await cameras.stop()
      await lpr.close()
      stopWatchingDevices()
      alarms.stop()
      lanes.stop()
      await devices.stop()
      await sync.stop()
      store.close()
      runLock.release()
      stopLogFiles()
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
