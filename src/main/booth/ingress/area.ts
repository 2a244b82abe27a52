import { defineArea } from '../../core/root/area'
import { VzenithReplyBarrier } from '../devices/barrier-camera'
import { CameraInbox } from './inbox'
import { pushSecrets, startLprIngress, type LprIngress } from './lpr-push'

declare module '../../core/root/area' {
  interface Provided {
    /** Where plate cameras push their reads: POST {url}/lpr/{laneId}. */
    lpr: LprIngress
    /** Every camera read, pushed or from ONVIF events, made durable before its lane sees it (exactly once). */
    inbox: CameraInbox
  }
}

/**
 * The plate reads coming in: the push endpoint (config `lpr`, each lane's camera trusted by address and/or secret)
 * and the ONVIF cameras' plate events, both through the durable camera-read inbox; reads left undecided at the last
 * stop are handed to their lanes when the role starts. `secrets`: secrets by environment-variable name (demo mode).
 */
export function lprIngressArea({ secrets }: { secrets?: Record<string, string> } = {}) {
  return defineArea({
    name: 'lpr-ingress',
    needs: ['store', 'lanes', 'cameras', 'clock', 'audit', 'alarms', 'devices', 'laneDevices'],
    provides: ['lpr', 'inbox'],
    commands: {},
    async create({ store, lanes, cameras, clock, audit, alarms, devices, laneDevices }, { config, log }) {
      const cameraSecrets = pushSecrets(config.lanes, (name) => secrets?.[name] ?? process.env[name])
      const inbox = new CameraInbox({
        reads: store.cameraReads,
        photos: store.inboxPhotos,
        passages: store.passages,
        lanes,
        dedupWindowMs: config.laneTiming.dedupWindowMs,
        clockToleranceMs: (laneId) => config.lanes.find((lane) => lane.id === laneId)?.camera.maxClockSkewMs ?? 300_000,
        alarms,
        now: clock,
        log
      })
      cameras.onPlateRead((read) => inbox.accept(read))
      const lpr = await startLprIngress({
        host: config.lpr.host,
        port: config.lpr.port,
        lanes: config.lanes,
        secrets: cameraSecrets,
        accept: (read) => inbox.accept(read),
        audit,
        alarms,
        devices,
        replyBarrier: (laneId) => {
          const barrier = laneDevices.get(laneId)?.barrier
          return barrier instanceof VzenithReplyBarrier ? barrier : null
        },
        log,
        now: clock
      })
      return {
        provides: { lpr, inbox },
        handlers: {},
        start() {
          inbox.resume().catch((error: unknown) => log(`camera inbox: reads not decided at the last stop could not be resumed: ${(error as Error).stack ?? String(error)}`))
        },
        stop: () => lpr.close()
      }
    }
  })
}
