import type { ReadPhoto } from '../lane'
import { decodeBase64Jpeg, type Base64Jpeg } from './base64-jpeg'

/** A plate read as a camera sent it, before the booth fixes its time and checks whether it repeats an earlier one. */
export interface CameraRead {
  laneId: string
  /** Normalised and checked at the boundary. */
  plate: string
  /** B7.1 colour code. */
  colour: string
  /** The camera's own time of the read (epoch ms), or null when it sent none. */
  cameraAt: number | null
  /** The camera's id of this recognition (臻识 serialno/plateid, the generic `eventId`), or null when it has none. */
  eventId: string | null
  photos: ReadPhoto[]
  /** Who sent it: the camera's address, or `onvif` for an event pulled from the lane's ONVIF camera. */
  source: string
}

/** A push body mapped onto a read, its photos still base64. */
export interface PushedRead {
  plate: string
  colour: string
  cameraAt: number | null
  eventId: string | null
  /** `path` names the body field, for the error when it is not base64. */
  images: { zpbh: ReadPhoto['zpbh']; path: string; text: Base64Jpeg }[]
  confidence: number | null
}

/** The push's photos decoded (without holding the event loop), or the fields that are not base64. */
export async function decodePushedRead(laneId: string, source: string, pushed: PushedRead): Promise<{ read: CameraRead } | { issues: { path: string; message: string }[] }> {
  const photos: ReadPhoto[] = []
  const issues: { path: string; message: string }[] = []
  for (const image of pushed.images) {
    const jpeg = await decodeBase64Jpeg(image.text)
    if (jpeg) photos.push({ zpbh: image.zpbh, jpeg })
    else issues.push({ path: image.path, message: '图片不是有效的 base64 编码' })
  }
  if (issues.length > 0) return { issues }
  return { read: { laneId, plate: pushed.plate, colour: pushed.colour, cameraAt: pushed.cameraAt, eventId: pushed.eventId, photos, source } }
}
