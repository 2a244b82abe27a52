import type { PolicyRepo } from '../../core/policy/repo'
import type { ControlMeasuresStore } from './control-measures'
import type { Db } from './db'
import type { LocalLists } from './local-lists'
import type { ManualActions } from './manual-actions'

/** Control measures and local lists on the booth's SQLite, each change one transaction with its manual-action row. */
export function sqlitePolicyRepo(db: Db, tables: { controlMeasures: ControlMeasuresStore; localLists: LocalLists; manualActions: ManualActions }): PolicyRepo {
  const { controlMeasures, localLists, manualActions } = tables
  return {
    controlMeasures: async () => controlMeasures.get(),
    setControlMeasures: async (measures, by, now) =>
      db.transaction(() => {
        controlMeasures.set(measures, by.actorName, now)
        manualActions.add({ action: 'set_control_measures', ...by, details: measures }, now)
        return controlMeasures.get()
      })(),
    list: async (kind) => localLists.list(kind),
    addToList: async (kind, plate, note, by, now, expiresAt) =>
      db.transaction(() => {
        manualActions.add({ action: 'list_add', ...by, plate, reason: kind, note }, now)
        return localLists.add(kind, plate, note, by.actorName, now, expiresAt)
      })(),
    removeFromList: async (kind, plate, by, now) =>
      db.transaction(() => {
        manualActions.add({ action: 'list_remove', ...by, plate, reason: kind }, now)
        return localLists.remove(kind, plate)
      })()
  }
}
