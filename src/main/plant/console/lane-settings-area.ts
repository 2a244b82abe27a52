import { plantLaneSettingsCommands, type PlantLaneSettingsView } from '@shared/contract'
import { actorName } from '../../core/api/actor'
import { ApiFailure } from '../../core/api/errors'
import { defineArea, type RootContext } from '../../core/root/area'
import { isoOrNull } from '../../core/time'

const DEFAULTS = { allowedColours: [], confirmEveryOpening: false, goodsBeforeExit: false }

/**
 * Lane settings at the plant (docs/plant.md): the lanes the enrolled booths reported, each with what the plant filed
 * for it (the defaults where nothing), and an admin's change filed down the change feed to that gate's booth, which
 * keeps and applies it (booth/store/plant-replica.ts). The same rules as the booth's own form (lane-settings/area.ts).
 */
export const plantLaneSettingsArea = defineArea({
  name: 'plant-lane-settings',
  needs: ['plantStore', 'clock'],
  provides: [],
  commands: plantLaneSettingsCommands,
  create({ plantStore: store, clock }, _root: RootContext<unknown>) {
    return {
      provides: {},
      handlers: {
        'plant.laneSettings': async () => {
          const [lanes, filed] = await Promise.all([store.booths.reportedLanes(), store.feed.laneSettings()])
          return lanes.map((lane): PlantLaneSettingsView => {
            const set = filed.get(`${lane.gateCode}/${lane.id}`)
            return { gateCode: lane.gateCode, laneId: lane.id, name: lane.name, direction: lane.direction, ...(set?.settings ?? DEFAULTS), updatedAt: isoOrNull(set?.updatedAt ?? null), updatedBy: set?.updatedBy ?? null }
          })
        },
        'plant.setLaneSettings': async ({ gateCode, laneId, laneName, allowedColours, confirmEveryOpening, goodsBeforeExit }, { actor }) => {
          const lane = (await store.booths.reportedLanes()).find((one) => one.gateCode === gateCode && one.id === laneId)
          if (!lane) throw new ApiFailure('unknown_lane', `${gateCode} 号门岗没有上报这个车道`)
          if (lane.name !== laneName) throw new ApiFailure('invalid_input', '车道名称与岗亭上报的不符，请刷新后重试', [{ path: 'laneName', message: '与岗亭上报的名称不符' }])
          if (goodsBeforeExit && lane.direction !== 'out') {
            throw new ApiFailure('invalid_input', '只有出口车道可以设置“必须登记货物才放行”', [{ path: 'goodsBeforeExit', message: '只适用于出口车道' }])
          }
          const settings = { allowedColours: [...new Set(allowedColours)], confirmEveryOpening, goodsBeforeExit }
          const by = actorName(actor)
          const now = clock()
          await store.feed.putLaneSettings(gateCode, laneId, settings, by, now)
          return { gateCode, laneId, name: lane.name, direction: lane.direction, ...settings, updatedAt: isoOrNull(now), updatedBy: by }
        }
      }
    }
  }
})
