import { laneSettingsCommands, type Actor } from '@shared/contract'
import { actorName } from '../../core/api/actor'
import { ApiFailure } from '../../core/api/errors'
import { defineArea } from '../../core/root/area'

/**
 * The admin's per-lane settings (docs/admin.md): allowed plate colours, 二次确认 and, on exit lanes, goods before the
 * barrier opens. Stored in the booth's database; the lanes read them at each decision (lane/verify.ts).
 */
export const laneSettingsArea = defineArea({
  name: 'lane-settings',
  needs: ['store', 'clock'],
  provides: [],
  commands: laneSettingsCommands,
  create({ store, clock }, { config }) {
    const laneOf = (laneId: string) => {
      const lane = config.lanes.find((candidate) => candidate.id === laneId)
      if (!lane) throw new ApiFailure('unknown_lane', `没有这个车道：${laneId}`)
      return lane
    }
    return {
      provides: {},
      handlers: {
        'laneSettings.list': () => config.lanes.map((lane) => store.laneSettings.get(lane.id)),
        'laneSettings.set': (input, { actor }: { actor: Actor | null }) => {
          const lane = laneOf(input.laneId)
          if (input.goodsBeforeExit && lane.direction !== 'out') {
            throw new ApiFailure('invalid_input', '只有出口车道可以设置“必须登记货物才放行”', [{ path: 'goodsBeforeExit', message: '只适用于出口车道' }])
          }
          return store.laneSettings.set({ ...input, allowedColours: [...new Set(input.allowedColours)] }, actorName(actor), clock())
        }
      }
    }
  }
})
