import type { AppInfo, Passage } from '@shared/contract'
import { ApiFailure, createRouter, EventBus, type Router } from './api'
import type { GateConfig } from './config'
import { startLprIngress, type LprIngress } from './ingress/lpr-push'
import { AlarmService, type DeviceHealthSource } from './alarms'
import { LaneActionError, LaneDriver, UnknownLaneError, type LaneDevices } from './lane'
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
  /** Each lane's barrier and display (null where a lane has none), and every device whose health raises alarms. */
  devices?: { lane(laneId: string): LaneDevices; health: DeviceHealthSource[] }
}

export interface App {
  router: Router
  events: EventBus
  store: Store
  sync: SyncWorker
  lpr: LprIngress
  lanes: LaneDriver
  alarms: AlarmService
  close(): Promise<void>
}

/**
 * The composition root shared by the Electron shell and the headless host: config → store → platform → lanes →
 * sync → API. Transports (IPC, HTTP+WebSocket) attach to the returned router and event bus.
 */
export async function createApp({ config, platformPassword, version, demo, log, devices }: AppOptions): Promise<App> {
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
    devices: devices?.lane,
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
  const stopWatchingDevices = alarms.watch(devices?.health ?? [])
  alarms.start(60_000)

  const actorName = (context: { actor: { name: string } | null }) => context.actor?.name ?? '未登录'
  const laneAction = <T>(work: () => T): T => {
    try {
      return work()
    } catch (error) {
      if (error instanceof UnknownLaneError) throw new ApiFailure('unknown_lane', error.message)
      if (error instanceof LaneActionError) throw new ApiFailure(error.code, error.message)
      throw error
    }
  }

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
        const result = await laneAction(() => lanes.handlePlateRead({ laneId, plate, colour, at: Date.now(), source: 'manual' }))
        // A queued truck is decided when its turn comes; the guard's entry waits for that decision.
        const passage = result.passage ?? (await result.decided)
        if (!passage) throw new ApiFailure('internal', `${plate} 未能形成通行记录`)
        return passage
      },
      'passages.list': ({ limit }) => store.passages.latest(limit),
      'sync.status': () => sync.status(),
      'sync.now': () => {
        sync.kick()
        return sync.status()
      },
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
      }
    },
    log
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
    lanes,
    alarms,
    async close() {
      await lpr.close()
      stopWatchingDevices()
      alarms.stop()
      lanes.stop()
      await sync.stop()
      store.close()
    }
  }
}
