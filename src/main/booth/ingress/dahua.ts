import { z } from 'zod'
import { PLATE_CLOSEUP_ZPBH, plateSchema } from '@shared/contract'
import { base64Jpeg } from './base64-jpeg'
import type { PushedRead } from './camera-read'
import { dahuaVehicleClass } from './vehicle-class'

/**
 * 大华 (Dahua) ITC cameras' ITSAPI platform push (卡口/出入口 "TollgateInfo"): JSON with `Picture.Plate`
 * (PlateNumber, PlateColor as a word: Blue, Yellow, White, Black, Green …, Confidence 0–100, UploadNum),
 * `Picture.SnapInfo` (AccurateTime "yyyy-MM-dd HH:mm:ss.SSS" camera local time, TimeZone), `Picture.Vehicle`
 * (VehicleType …), `Picture.NormalPic.Content` (the scene, base64 JPEG) and `Picture.CutoutPic.Content` (the plate
 * close-up). Unknown fields are kept out of the check, not refused.
 */
const picture = z.looseObject({ Content: base64Jpeg.optional() }).optional()

export const dahuaPushSchema = z.object({
  Picture: z.looseObject({
    Plate: z.looseObject({
      PlateNumber: plateSchema,
      PlateColor: z.string().max(32).optional(),
      Confidence: z.number().min(0).max(100).optional(),
      UploadNum: z.number().int().min(0).optional()
    }),
    SnapInfo: z.looseObject({ AccurateTime: z.string().max(40).optional(), TimeZone: z.number().int().min(-12).max(14).optional(), DeviceID: z.string().max(64).optional() }).optional(),
    Vehicle: z.looseObject({ VehicleType: z.string().max(64).optional() }).optional(),
    NormalPic: picture,
    CutoutPic: picture
  })
})

export type DahuaPush = z.output<typeof dahuaPushSchema>

export function isDahuaPush(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'Picture' in body
}

/** PlateColor word → B7.1 (0 蓝 1 黄 2 白 3 黑 4 新能源 5 其他). */
export function dahuaColour(word: string | undefined): string {
  const colour = (word ?? '').toLowerCase()
  if (colour.includes('green')) return '4'
  return { blue: '0', yellow: '1', white: '2', black: '3' }[colour] ?? '5'
}

/** "2026-12-04 09:30:15.250" in the camera's zone (TimeZone hours east; China +8 when absent) → epoch ms. */
export function dahuaTime(accurate: string | undefined, zoneHours = 8): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(accurate ?? '')
  if (!match) return null
  const [, y, mo, d, h, mi, s, ms] = match
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, Number((ms ?? '0').padEnd(3, '0'))) - zoneHours * 3_600_000
}

export function pushedReadFromDahua(push: DahuaPush): PushedRead {
  const { Plate, SnapInfo, NormalPic, CutoutPic, Vehicle } = push.Picture
  const front = NormalPic?.Content ?? CutoutPic?.Content
  const images: PushedRead['images'] = front ? [{ zpbh: '1', path: NormalPic?.Content ? 'Picture.NormalPic.Content' : 'Picture.CutoutPic.Content', text: front }] : []
  // The close-up stands in for a missing scene, else is kept beside it for the guard.
  if (NormalPic?.Content && CutoutPic?.Content) images.push({ zpbh: PLATE_CLOSEUP_ZPBH, path: 'Picture.CutoutPic.Content', text: CutoutPic.Content })
  const cameraAt = dahuaTime(SnapInfo?.AccurateTime, SnapInfo?.TimeZone ?? 8)
  return {
    plate: Plate.PlateNumber,
    colour: dahuaColour(Plate.PlateColor),
    cameraAt,
    eventId: Plate.UploadNum !== undefined ? `${SnapInfo?.DeviceID ?? 'dahua'}/${Plate.UploadNum}` : null,
    images,
    confidence: Plate.Confidence === undefined ? null : Plate.Confidence / 100,
    vehicleClass: dahuaVehicleClass(Vehicle?.VehicleType)
  }
}
