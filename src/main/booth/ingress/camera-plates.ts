import { normalizePlate, plateProblem } from '@shared/plate'
import type { CameraPlateRead } from '../devices'
import type { PlateRead } from '../lane'

/** B7.1 `5` 其他: the camera did not say, and guessing a colour would query the platform for the wrong vehicle. */
const UNKNOWN_COLOUR = '5'

/**
 * A plate from a camera's event service, normalised and checked like a pushed one. A read that is not a plate
 * (`problem`) is reported, not recorded: the guard enters it by hand.
 */
export function plateReadFromCamera(read: CameraPlateRead): { read: PlateRead } | { problem: string } {
  const plate = normalizePlate(read.plate)
  const problem = plateProblem(plate)
  if (problem) return { problem: `${read.laneId}: ${problem}` }
  return {
    read: {
      laneId: read.laneId,
      plate,
      colour: read.colour ?? UNKNOWN_COLOUR,
      at: read.at,
      source: 'lpr',
      photos: read.image ? [{ zpbh: '1', jpeg: read.image }] : []
    }
  }
}
