import { defineArea } from '../../core/root/area'
import type { PlantLink } from './client'
import { ReplicaFollower } from './replica'

/** An edge booth's replica of what the plant owns, following the plant's change feed while the booth runs. */
export function plantReplicaArea(link: PlantLink) {
  return defineArea({
    name: 'plant-replica',
    needs: ['store', 'clock'],
    provides: [],
    commands: {},
    create({ store, clock }, { config, log }) {
      const follower = new ReplicaFollower(link, store.plantReplica, {
        intervalMs: config.plant?.replicaIntervalMs ?? 10_000,
        clock,
        log,
        scope: { gateCodes: [...new Set(config.lanes.map((lane) => lane.gateCode))] },
        lanes: config.lanes.map((lane) => ({ id: lane.id, name: lane.name, direction: lane.direction, gateCode: lane.gateCode }))
      })
      return {
        provides: {},
        handlers: {},
        start: () => follower.start(),
        stop: () => follower.stop()
      }
    }
  })
}
