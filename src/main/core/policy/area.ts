import { policyCommands, type Actor } from '@shared/contract'
import { actorName } from '../api/actor'
import { defineArea, type RootContext } from '../root/area'
import { listExpiry } from './admin-rules'

/**
 * What the lanes decide by besides the platform: the control measures in force and the local white and black lists.
 * Every change is written with its manual-action record in one transaction.
 */
export const policyArea = defineArea({
  name: 'policy',
  needs: ['sharedRepos', 'clock'],
  provides: [],
  commands: policyCommands,
  create({ sharedRepos, clock }, _root: RootContext<unknown>) {
    const { policy } = sharedRepos
    const who = (actor: Actor | null) => ({ actorId: actor?.userId ?? null, actorName: actorName(actor) })
    return {
      provides: {},
      handlers: {
        'controlMeasures.get': () => policy.controlMeasures(),
        'controlMeasures.set': (input, { actor }) => policy.setControlMeasures(input, who(actor), clock()),
        'localLists.list': ({ kind }) => policy.list(kind),
        'localLists.add': ({ kind, plate, note, validity }, { actor }) => {
          const now = clock()
          return policy.addToList(kind, plate, note, who(actor), now, listExpiry(validity, now))
        },
        'localLists.remove': async ({ kind, plate }, { actor }) => ({ removed: await policy.removeFromList(kind, plate, who(actor), clock()) })
      }
    }
  }
})
