import type { Lane, LaneState, VehicleClass } from '@shared/contract'

/** A truck held in its lane for the guard: refused, undecided, or a barrier that did not open. */
export interface Waiting {
  laneId: string
  laneName: string
  plate: string
  plateColour: string
  decision: 'refuse' | 'guard'
  reasonText: string
  /** ISO-8601: when the plate was read (the queue's order). */
  at: string
  /** ISO-8601: when the lane closes it by itself, if it will. */
  heldUntil: string | null
  passageId: number | null
  vehicleClass: VehicleClass | null
}

/** Every truck that needs the guard now, oldest first: the first one takes F1–F4 unless the guard picks another. */
export function waitingTrucks(lanes: readonly Lane[], states: Readonly<Record<string, LaneState>>): Waiting[] {
  const waiting: Waiting[] = []
  for (const lane of lanes) {
    const state = states[lane.id]
    const current = state?.current
    if (state?.phase !== 'decided' || !current || (current.decision !== 'refuse' && current.decision !== 'guard')) continue
    waiting.push({
      laneId: lane.id,
      laneName: lane.name,
      plate: current.plate,
      plateColour: current.plateColour,
      decision: current.decision,
      reasonText: current.reasonText,
      at: current.at,
      heldUntil: current.heldUntil ?? null,
      passageId: current.passageId,
      vehicleClass: current.vehicleClass ?? null
    })
  }
  return waiting.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}

/** The truck the keys act on: the one the guard picked while it still waits, else the oldest. */
export function attentionTarget(waiting: readonly Waiting[], picked: string | null): Waiting | null {
  return waiting.find((truck) => truck.laneId === picked) ?? waiting[0] ?? null
}

/** The next waiting truck after the current target (Tab), wrapping round. */
export function nextAttention(waiting: readonly Waiting[], picked: string | null): string | null {
  if (waiting.length === 0) return null
  const at = waiting.findIndex((truck) => truck.laneId === attentionTarget(waiting, picked)?.laneId)
  return waiting[(at + 1) % waiting.length]!.laneId
}

/** Whole seconds left until `until` (never below 0). */
export function secondsLeft(until: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000))
}
