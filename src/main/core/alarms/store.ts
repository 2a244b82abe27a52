import type { Alarm, AlarmKind } from '@shared/contract'

export interface NewAlarm {
  kind: AlarmKind
  laneId?: string | null
  plate?: string | null
  passageId?: number | null
  message: string
  /** B7.5 code where one fits. */
  warningType?: string | null
  /** Alarms with the same key are one alarm: see `raise`. */
  dedupKey?: string | null
}

/** An entry that put a vehicle inside the plant, with no exit since. */
export interface InsideEntry {
  passageId: number
  plate: string
  laneId: string
  enteredAt: number
}

/**
 * The storage the alarm service needs, on the store of the booth whose lanes raise the alarms (booth/store). It stays
 * synchronous: a lane raises its alarm in the same step as it handles the barrier's signal. Enterprise-wide alarms
 * at the plant (a truck entering at one gate and leaving at another) are the plant issue's.
 */
export interface AlarmStore {
  /** Refused passages of a plate recognised at or after `since`. */
  refusalsSince(plate: string, since: number): number
  /** Vehicles that entered before `enteredBefore` (epoch ms) and have not left. */
  insideSince(enteredBefore: number): InsideEntry[]
  /**
   * Inserts the alarm unless one with the same dedup key is still open (or, with `once`, ever existed). Returns the
   * new alarm, or null when it was a repeat.
   */
  raise(alarm: NewAlarm, now: number, once: boolean): Alarm | null
  get(id: number): Alarm | null
  list(limit: number, openOnly: boolean): Alarm[]
  /** Acknowledges once; a second acknowledgement keeps the first one's time, person and note. */
  acknowledge(id: number, by: string, note: string, now: number): Alarm | null
  /** Ties the alarm to the passage it is about (a forced pass recorded after its alarm was raised). */
  attachPassage(id: number, passageId: number): Alarm | null
  /** Marks the unresolved alarm with this dedup key resolved (a device back online); null when there is none. */
  resolve(dedupKey: string, now: number): Alarm | null
}
