import { PLATE_CLOSEUP_ZPBH, type Decision, type LaneState, type Passage, type PassagePhoto, type VehicleClass } from '@shared/contract'

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
  /** The vehicle's class as the camera saw it, where it said. */
  vehicleClass?: VehicleClass | null
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
    passageId: last.id,
    vehicleClass: last.vehicleClass ?? null
  }
}

export type LaneAction = 'release' | 'refuse' | 'correct' | 'recapture'

/** A lane action running (re-capture) and the outcome the tile shows until the next action. */
export interface LaneActivity {
  busy: boolean
  outcome: { ok: true } | { ok: false; error: string } | null
}

/** A decided truck still held in its lane for the guard: only such a one can be released (or refused). */
export function isHeld(state: LaneState | undefined): boolean {
  return state?.phase === 'decided' && state.current?.decision != null
}

/**
 * Whether the lane's action can be taken now, for its button and its key alike: release needs a truck held in the
 * lane with its passage recorded, refuse one held or with the barrier open (a closed passage reads closed: neither), a correction a passage;
 * nothing while an action of the lane is running.
 */
export function laneActionEnabled(action: LaneAction, shown: Shown | null, busy: boolean, state: LaneState | undefined): boolean {
  if (busy) return false
  // A manual decision names the passage the guard sees (main refuses it for another truck): none known, no action.
  if (action === 'release') return isHeld(state) && state?.current?.passageId != null
  if (action === 'refuse') return (isHeld(state) || (state?.phase === 'barrier_open' && state.current?.decision != null)) && state?.current?.passageId != null
  if (action === 'correct') return shown?.passageId != null
  return true
}

/**
 * The pictures a tile shows of a passage: the scene (the front photo, else the first there is) and, beside it, the
 * camera's plate close-up when it sent one. Nothing is cropped: without a close-up the scene is shown alone.
 */
export function tilePhotos(photos: readonly PassagePhoto[]): { scene: PassagePhoto | null; closeUp: PassagePhoto | null } {
  const closeUp = photos.find((photo) => photo.zpbh === PLATE_CLOSEUP_ZPBH) ?? null
  const taken = photos.filter((photo) => photo !== closeUp)
  const scene = taken.find((photo) => photo.zpbh === '1') ?? taken[0] ?? null
  return scene ? { scene, closeUp } : { scene: closeUp, closeUp: null }
}
