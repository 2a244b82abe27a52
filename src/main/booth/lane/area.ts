import { laneCommands } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import { AuditLog } from '../../core/audit'
import { defineArea } from '../../core/root/area'
import { isoOf } from '../../core/time'
import { LaneDriver } from './driver'
import type { VehicleVerifier } from './verify'

declare module '../../core/root/area' {
  interface Provided {
    lanes: LaneDriver
  }
}

/** How long a manual entry waits for the lane camera's snapshot before it goes on without a photo. */
const MANUAL_SNAPSHOT_MS = 1_500

function snapshotWithin(taking: Promise<Uint8Array> | null, ms: number): Promise<Uint8Array | null> {
  if (!taking) return Promise.resolve(null)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms)
  })
  return Promise.race([taking, late]).finally(() => clearTimeout(timer))
}

/**
 * The lanes: each truck read by a camera or typed by the guard is verified, decided, let through or held, and
 * recorded with its uploads; the guard's manual actions. Takes the cameras' plate reads.
 */
export function lanesArea({ verifier }: { verifier?: VehicleVerifier } = {}) {
  return defineArea({
    name: 'lanes',
    needs: ['store', 'platform', 'clock', 'alarms', 'laneDevices', 'cameras', 'sync'],
    provides: ['lanes'],
    commands: laneCommands,
    create({ store, platform, clock, alarms, laneDevices, cameras, sync }, { config, events, log }) {
      // The audit chain is kept by the repo, so this log and the audit area's append to the same chain.
      const audit = new AuditLog(store.repos.audit, clock)
      const snapshot = (laneId: string) => cameras.byLane.get(laneId)?.snapshot() ?? null
      const lanes = new LaneDriver({
        lanes: config.lanes,
        enterprise: { code: config.enterprise.code, name: config.enterprise.name },
        store,
        verifier: verifier ?? platform,
        verifyBudgetMs: config.platform.verifyBudgetMs,
        timing: config.laneTiming,
        alarms,
        devices: (laneId) => laneDevices.get(laneId) ?? { barrier: null, display: null, scale: null },
        snapshot,
        onPassage: (event, passage) => {
          events.publish(event, passage)
          // A passage's uploads are held until its barrier outcome is known (the update): then they may go.
          if (event === 'passage.updated') {
            void sync.status().then(
              (status) => events.publish('sync.status', status),
              (error: unknown) => log(`sync status not published: ${(error as Error).message}`)
            )
            sync.kick()
          }
        },
        onState: (state) => events.publish('lane.state', state),
        onSpeak: ({ laneId, text, at }) => events.publish('lane.voice', { laneId, text, at: isoOf(at) }),
        audit: (entry) => void audit.append(entry).catch((error: unknown) => log(`audit of ${entry.action} failed: ${(error as Error).message}`)),
        now: clock,
        log
      })
      return {
        provides: { lanes },
        handlers: {
          'plate.submit': async ({ laneId, plate, colour }) => {
            const at = clock()
            // A typed plate gets the lane camera's picture of the truck, as a camera read would have.
            const photo = await snapshotWithin(snapshot(laneId), MANUAL_SNAPSHOT_MS).catch((error: unknown) => {
              log(`lane ${laneId}: no snapshot for the manual entry of ${plate}: ${(error as Error).message}`)
              return null
            })
            const photos = photo ? [{ zpbh: '1' as const, jpeg: photo }] : []
            const result = await lanes.handlePlateRead({ laneId, plate, colour, at, source: 'manual', photos })
            // A queued truck is decided when its turn comes; the guard's entry waits for that decision.
            const passage = result.passage ?? (await result.decided)
            if (!passage) throw new ApiFailure('internal', `${plate} 未能形成通行记录`)
            return passage
          },
          'lane.unplated': async ({ laneId, kind, number }) => {
            const at = clock()
            const photo = await snapshotWithin(snapshot(laneId), MANUAL_SNAPSHOT_MS).catch(() => null)
            // cphm as the guard wrote it (B7.1 其他): 无牌车, or the temporary plate's number.
            const plate = kind === 'none' ? '无牌车' : number
            const result = await lanes.handlePlateRead({ laneId, plate, colour: '5', at, source: 'manual', unplated: kind, photos: photo ? [{ zpbh: '1' as const, jpeg: photo }] : [] })
            const passage = result.passage ?? (await result.decided)
            if (!passage) throw new ApiFailure('internal', `${plate} 未能形成通行记录`)
            return passage
          },
          'lanes.state': () => lanes.states(),
          'lane.release': (input, { actor }) => lanes.release(input, actor),
          'lane.refuse': (input, { actor }) => lanes.refuse(input, actor),
          'passage.correctPlate': (input, { actor }) => lanes.correctPlate(input, actor),
          'lane.recapture': ({ laneId }, { actor }) => lanes.recapture(laneId, actor),
          'lane.barrier': (input, { actor }) => lanes.barrier(input, actor)
        },
        stop: () => lanes.stop()
      }
    }
  })
}
