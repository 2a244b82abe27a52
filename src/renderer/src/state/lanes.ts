import type { Decision, LaneState, Passage } from '@shared/contract'

/** What a lane tile shows of the truck: the lane's live state when main sends it, else the lane's last passage. */
export interface Shown {
  plate: string
  plateColour: string
  decision: Decision | null
  reasonText: string
  emissionStandard: string
  fuelType: string
  decidedOffline: boolean
  at: string
  passageId: number | null
}

export function shownOf(state: LaneState | undefined, last: Passage | undefined): Shown | null {
  if (state?.current) return state.current
  if (!last) return null
  return {
    plate: last.plate,
    plateColour: last.plateColour,
    decision: last.decision,
    reasonText: last.reasonText,
    emissionStandard: last.verdict?.emissionStandard ?? '',
    fuelType: last.verdict?.fuelType ?? '',
    decidedOffline: last.decidedOffline,
    at: last.recognizedAt,
    passageId: last.id
  }
}

export type LaneAction = 'release' | 'refuse' | 'correct' | 'recapture'

/** A lane action running (re-capture) and the outcome the tile shows until the next action. */
export interface LaneActivity {
  busy: boolean
  outcome: { ok: true } | { ok: false; error: string } | null
}

/**
 * Whether the lane's action can be taken now, for its button and its key alike: release and refuse need a truck,
 * a correction a passage; nothing while an action of the lane is running.
 */
export function laneActionEnabled(action: LaneAction, shown: Shown | null, busy: boolean): boolean {
  if (busy) return false
  if (action === 'release' || action === 'refuse') return shown !== null
  if (action === 'correct') return shown?.passageId != null
  return true
}
