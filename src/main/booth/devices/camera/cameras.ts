import type { EventName, EventPayload } from '@shared/contract'
import type { LaneConfig } from '../../../core/config'
import { isoOf } from '../../../core/time'
import { plateReadFromCamera } from '../../ingress/camera-plates'
import type { CameraRead } from '../../ingress/camera-read'
import { LiveView } from './live-view'
import { OnvifCamera } from './onvif-camera'

export interface CamerasOptions {
  lanes: LaneConfig[]
  /** Looks a secret up by environment-variable name. */
  secret(name: string): string | undefined
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void
  log(line: string): void
}

export interface Cameras {
  /** The ONVIF cameras by lane id (lanes with an LPR-push camera have none here). */
  byLane: ReadonlyMap<string, OnvifCamera>
  watch(laneId: string, viewerId: string): { fps: number; leaseMs: number }
  unwatch(laneId: string, viewerId: string): Record<string, never>
  liveView: LiveView
  /** The entry point for a plate read (the camera-read inbox): the one hand-off from cameras to the lanes (set before `start`). */
  onPlateRead(handle: (read: CameraRead) => Promise<unknown>): void
  /** Connects the cameras in the background: plate events, inputs and health from then on. */
  start(): void
  stop(): Promise<void>
}

/** The lanes' ONVIF cameras; once started, plate events go to the lanes, frames and inputs to the bus. */
export function createCameras({ lanes, secret, publish, log }: CamerasOptions): Cameras {
  const byLane = new Map<string, OnvifCamera>()
  let handlePlateRead: ((read: CameraRead) => Promise<unknown>) | null = null
  for (const lane of lanes) {
    const config = lane.camera
    if (config.kind !== 'onvif' || !config.url) continue
    const camera = new OnvifCamera({
      id: `${lane.id}/camera`,
      laneId: lane.id,
      url: config.url,
      username: config.username ?? '',
      password: secret(config.passwordEnv) ?? '',
      profileToken: config.profileToken,
      healthIntervalMs: config.healthIntervalMs,
      requestTimeoutMs: config.requestTimeoutMs
    })
    camera.onPlate((plate) => {
      const mapped = plateReadFromCamera(plate)
      if ('problem' in mapped) return log(`camera plate ignored: ${mapped.problem}`)
      if (!handlePlateRead) return log(`camera plate on ${lane.id} ignored: no lane takes plate reads`)
      handlePlateRead(mapped.read).catch((error: unknown) => log(`camera plate on ${lane.id} failed: ${(error as Error).stack ?? String(error)}`))
    })
    camera.onDigitalInput(({ laneId, input, active, at }) => publish('camera.input', { laneId, input, active, at: isoOf(at ?? Date.now()) }))
    camera.onHealth((health) => log(`camera ${health.id}: ${health.status}${health.error ? ` (${health.error})` : ''}`))
    byLane.set(lane.id, camera)
  }
  const fps = new Map(lanes.map((lane) => [lane.id, lane.camera.liveFps]))
  const liveView = new LiveView({
    hasCamera: (laneId) => byLane.has(laneId),
    snapshot: (laneId) => byLane.get(laneId)!.snapshot(),
    fps: (laneId) => fps.get(laneId) ?? 2,
    publish: (frame) => publish('camera.frame', frame)
  })
  return {
    byLane,
    liveView,
    watch: (laneId, viewerId) => liveView.watch(laneId, viewerId),
    unwatch(laneId, viewerId) {
      liveView.unwatch(laneId, viewerId)
      return {}
    },
    onPlateRead(handle) {
      handlePlateRead = handle
    },
    start() {
      for (const camera of byLane.values()) camera.start()
    },
    async stop() {
      liveView.stop()
      await Promise.all([...byLane.values()].map((camera) => camera.stop()))
    }
  }
}
