import { photoName, type VehicleClass } from '@shared/contract'
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
  /** The vehicle's class as the camera saw it (vehicle-class.ts), or null when it does not say. */
  vehicleClass?: VehicleClass | null
}

/** A push body mapped onto a read, its photos still base64. */
export interface PushedRead {
  plate: string
  colour: string
  cameraAt: number | null
  eventId: string | null
  /** `path` names the body field, for the error when it is not base64. */
  images: { zpbh: ReadPhoto['zpbh']; path: string; text: Base64Jpeg }[]
  /** Pictures sent as bytes (a multipart push), checked like decoded ones. */
  binaryImages?: { zpbh: ReadPhoto['zpbh']; path: string; jpeg: Buffer }[]
  confidence: number | null
  vehicleClass?: VehicleClass | null
}

/**
 * The largest photo kept from a push. A plate camera's scene JPEG is a few hundred KB; one of megabytes is not a
 * plate photo, and writing it (hashed and fsynced with the passage) would hold the lanes for tens of milliseconds.
 */
export const MAX_PUSHED_PHOTO_BYTES = 2 * 1024 * 1024

/**
 * The push's photos decoded (without holding the event loop), or the fields that are not base64. A photo over
 * MAX_PUSHED_PHOTO_BYTES is left out with a warning; the read is kept.
 */
export async function decodePushedRead(
  laneId: string,
  source: string,
  pushed: PushedRead
): Promise<{ read: CameraRead; warnings: string[] } | { issues: { path: string; message: string }[] }> {
  const photos: ReadPhoto[] = []
  const warnings: string[] = []
  const issues: { path: string; message: string }[] = []
  const binary = (pushed.binaryImages ?? []).map((image) => ({ ...image, text: null }))
  for (const image of [...pushed.images, ...binary]) {
    const jpeg = image.text === null ? (image as (typeof binary)[number]).jpeg : await decodeBase64Jpeg(image.text)
    if (!jpeg) issues.push({ path: image.path, message: '图片不是有效的 base64 编码' })
    else if (jpeg.length > MAX_PUSHED_PHOTO_BYTES) {
      warnings.push(`${photoName(image.zpbh)}未保存：${(jpeg.length / 1024 / 1024).toFixed(1)} MB，超过 2 MB 上限，请调低摄像机的图片质量或分辨率`)
    } else photos.push({ zpbh: image.zpbh, jpeg })
  }
  if (issues.length > 0) return { issues }
  return { read: { laneId, plate: pushed.plate, colour: pushed.colour, cameraAt: pushed.cameraAt, eventId: pushed.eventId, photos, source, vehicleClass: pushed.vehicleClass ?? null }, warnings }
}
