import { normalizePlate, plateProblem } from '@shared/plate'
import type { CameraPlateRead } from '../devices'
import type { CameraRead } from './camera-read'

/** B7.1 `5` 其他: the camera did not say, and guessing a colour would query the platform for the wrong vehicle. */
const UNKNOWN_COLOUR = '5'

/**
 * A plate from a camera's event service, normalised and checked like a pushed one. A read that is not a plate
 * (`problem`) is reported, not recorded: the guard enters it by hand.
 */
export function plateReadFromCamera(read: CameraPlateRead): { read: CameraRead } | { problem: string } {
  const plate = normalizePlate(read.plate)
  const problem = plateProblem(plate)
  if (problem) return { problem: `${read.laneId}: ${problem}` }
  return {
    read: {
      laneId: read.laneId,
      plate,
      colour: read.colour ?? UNKNOWN_COLOUR,
      cameraAt: read.at,
      eventId: null,
      source: 'onvif',
      photos: read.image ? [{ zpbh: '1', jpeg: read.image }] : []
    }
  }
}
