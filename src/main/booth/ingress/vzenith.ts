import { z } from 'zod'
import { plateSchema } from '@shared/contract'
import { base64Jpeg } from './base64-jpeg'
import type { PushedRead } from './camera-read'
import { vzenithVehicleClass } from './vehicle-class'

/**
 * 臻识 (Vzenith) plate cameras' HTTP push, "AlarmInfoPlate" JSON: AlarmInfoPlate.result.PlateResult carries
 * `license`, `colorType` (0 未知 1 蓝 2 黄 3 白 4 黑 5 绿 6 黄绿), `confidence` (0–100), `imageFile` (scene JPEG,
 * base64), `imageFragmentFile` (plate close-up), `plateid` (the camera's number of the recognition) and
 * `timeStamp.Timeval.sec/usec` (epoch). Cameras add many more fields (ipaddr, direction, …), so unknown fields are
 * kept out of the check, not refused.
 */
export const vzenithPushSchema = z.object({
  AlarmInfoPlate: z.looseObject({
    serialno: z.string().optional(),
    result: z.looseObject({
      PlateResult: z.looseObject({
        license: plateSchema,
        colorType: z.number().int().min(0).max(6).optional(),
        confidence: z.number().min(0).max(100).optional(),
        plateid: z.number().int().min(0).optional(),
        /** 车牌类型 (LT_X): 1 蓝牌小汽车, 3 单排黄牌, 4 双排黄牌 … */
        type: z.number().int().min(0).max(255).optional(),
        imageFile: base64Jpeg.optional(),
        imageFragmentFile: base64Jpeg.optional(),
        timeStamp: z.looseObject({ Timeval: z.looseObject({ sec: z.number().int().positive(), usec: z.number().int().min(0).optional() }) }).optional()
      })
    })
  })
})

export type VzenithPush = z.output<typeof vzenithPushSchema>

/** colorType → B7.1 (0 蓝 1 黄 2 白 3 黑 4 新能源 5 其他); 0 未知 and anything else become 5. */
const COLOUR_TO_B71: Record<number, string> = { 1: '0', 2: '1', 3: '2', 4: '3', 5: '4', 6: '4' }

export function isVzenithPush(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'AlarmInfoPlate' in body
}

export function pushedReadFromVzenith(push: VzenithPush): PushedRead {
  const { serialno } = push.AlarmInfoPlate
  const result = push.AlarmInfoPlate.result.PlateResult
  const timeval = result.timeStamp?.Timeval
  // The scene picture is the front photo (B7.2 1); the plate close-up stands in only when the scene is missing.
  const front = result.imageFile || result.imageFragmentFile
  const frontPath = result.imageFile ? 'imageFile' : 'imageFragmentFile'
  return {
    plate: result.license,
    colour: COLOUR_TO_B71[result.colorType ?? 0] ?? '5',
    cameraAt: timeval ? timeval.sec * 1000 + Math.floor((timeval.usec ?? 0) / 1000) : null,
    // A camera re-sending a read (its reply was lost, or from its offline store) sends the same serial and plateid.
    eventId: serialno && result.plateid !== undefined ? `${serialno}/${result.plateid}` : null,
    images: front ? [{ zpbh: '1', path: `AlarmInfoPlate.result.PlateResult.${frontPath}`, text: front }] : [],
    confidence: result.confidence === undefined ? null : result.confidence / 100,
    vehicleClass: vzenithVehicleClass(result.type)
  }
}
