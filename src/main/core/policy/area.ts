import { policyCommands } from '@shared/contract'
import { actorName } from '../api/actor'
import { defineArea } from '../root/area'

/**
 * What the lanes decide by besides the platform: the control measures in force and the local white and black lists.
 * Every change is written with its manual-action record in one transaction.
 */
export const policyArea = defineArea({
  name: 'policy',
  needs: ['store', 'clock'],
  provides: [],
  commands: policyCommands,
  create({ store, clock }) {
    return {
      provides: {},
      handlers: {
        'controlMeasures.get': () => store.controlMeasures.get(),
        'controlMeasures.set': (input, { actor }) => {
          store.transaction(() => {
            const at = clock()
            store.controlMeasures.set(input, actorName(actor), at)
            store.manualActions.add({ action: 'set_control_measures', actorId: actor?.userId ?? null, actorName: actorName(actor), details: input }, at)
          })
          return store.controlMeasures.get()
        },
        'localLists.list': ({ kind }) => store.localLists.list(kind),
        'localLists.add': ({ kind, plate, note }, { actor }) =>
          store.transaction(() => {
            const at = clock()
            store.manualActions.add({ action: 'list_add', actorId: actor?.userId ?? null, actorName: actorName(actor), plate, reason: kind, note }, at)
            return store.localLists.add(kind, plate, note, actorName(actor), at)
          }),
        'localLists.remove': ({ kind, plate }, { actor }) =>
          store.transaction(() => {
            store.manualActions.add({ action: 'list_remove', actorId: actor?.userId ?? null, actorName: actorName(actor), plate, reason: kind }, clock())
            return { removed: store.localLists.remove(kind, plate) }
          })
      }
    }
  }
})
