import type { Direction } from '@shared/contract'
import { tgztOf, zplxOf } from '@shared/spec'

/** The enterprise as every record names it (qybh/qymc; ERRATA E14: the 10-digit code everywhere). */
export interface Enterprise {
  code: string
  name: string
}

export interface DrivingRecordInput {
  lsh: string
  gateCode: string
  plate: string
  plateColour: string
  tgsjq: string
  tgsjz: string
  direction: Direction
  bgzt: '0' | '1'
}

/** The fields that tie 4.1.4, 4.1.5 and 4.1.6 records of one passage together (ERRATA E30). */
function passageFields(enterprise: Enterprise, input: { lsh: string; gateCode: string; plate: string; plateColour: string }) {
  return { lsh: input.lsh, qybh: enterprise.code, qymc: enterprise.name, dzbh: input.gateCode, cphm: input.plate, cpys: input.plateColour }
}

/** spec 4.1.4 shareDrivingRecord value, field names and codes exactly as the spec prints them. */
export function drivingRecordValue(enterprise: Enterprise, input: DrivingRecordInput): Record<string, string> {
  return {
    ...passageFields(enterprise, input),
    tgsjq: input.tgsjq,
    tgsjz: input.tgsjz,
    tgzt: tgztOf(input.direction),
    bgzt: input.bgzt
  }
}

export interface PhotoRecordInput {
  lsh: string
  gateCode: string
  plate: string
  plateColour: string
  /** B7.2: '1' front, '2' rear. */
  zpbh: '1' | '2'
  direction: Direction
  forced: boolean
  pzsj: string
}

/**
 * spec 4.1.5 sharePhotoInfo value without base64Image: the photo bytes stay on disk until the moment of sending
 * (ERRATA E28/E30: same lsh, qybh, dzbh, cphm, cpys as the passage record).
 */
export function photoRecordValue(enterprise: Enterprise, input: PhotoRecordInput): Record<string, string> {
  return {
    ...passageFields(enterprise, input),
    zpbh: input.zpbh,
    zplx: zplxOf(input.direction, input.forced),
    pzsj: input.pzsj
  }
}

export interface GoodsRecordInput {
  lsh: string
  gateCode: string
  plate: string
  plateColour: string
  hwmc: string
  ysl: string
  djsj: string
}

/** spec 4.1.6 shareGoodsRecord value: the passage's lsh, qybh, dzbh, cphm and cpys (ERRATA E30), then the goods. */
export function goodsRecordValue(enterprise: Enterprise, input: GoodsRecordInput): Record<string, string> {
  return { ...passageFields(enterprise, input), hwmc: input.hwmc, ysl: input.ysl, djsj: input.djsj }
}

/** The enterprise as the vehicle filings name it: its code and the secret code the city handed over. */
export interface FilingEnterprise extends Enterprise {
  companySecretCode: string
}

export const VEHICLE_FIELDS = [
  'license', 'licenseColor', 'vehicleType', 'vin', 'useCharacter', 'engineNo', 'onwer', 'address', 'model', 'registerDate', 'issueDate', 'emissionStandard'
] as const
export type VehicleFields = Record<(typeof VEHICLE_FIELDS)[number], string>
/** The two licence images as base64 JPEG, '' when not on file. */
export interface VehicleImages {
  drivingLicenseImg: string
  drivingLicenseImg2: string
}

function vehicleValue(fields: VehicleFields, images: VehicleImages): Record<string, string> {
  return { ...Object.fromEntries(VEHICLE_FIELDS.map((name) => [name, fields[name]])), drivingLicenseImg: images.drivingLicenseImg, drivingLicenseImg2: images.drivingLicenseImg2 }
}

/** spec 4.1.2 shareVehInfo value (车辆备案), in the table's order. */
export function vehicleRegistrationValue(enterprise: FilingEnterprise, fields: VehicleFields, images: VehicleImages): Record<string, string> {
  return { companySecretCode: enterprise.companySecretCode, ...vehicleValue(fields, images) }
}

/** spec 4.1.7 shareInnerVehInfo value; accessToken is filled in by the client at send time (ERRATA E01). */
export function innerVehicleValue(enterprise: FilingEnterprise, fields: VehicleFields & { carStatus: string }, images: VehicleImages): Record<string, string> {
  return { companySecretCode: enterprise.companySecretCode, companyCode: enterprise.code, ...vehicleValue(fields, images), carStatus: fields.carStatus }
}

export const MACHINE_FIELDS = ['mhyPlate', 'mhyJXMC', 'emissionLevel', 'mhyFrameNo', 'mhyProdDate', 'mhyStatus'] as const
export type MachineFields = Record<(typeof MACHINE_FIELDS)[number], string>

/** spec 4.1.8 shareInnerMHYElec value (mhyPlate always sent, ERRATA E35; imageInfo the nameplate JPEG, E36). */
export function machineValue(enterprise: FilingEnterprise, fields: MachineFields, imageInfo: string): Record<string, string> {
  return {
    mhyPlate: fields.mhyPlate,
    companySecretCode: enterprise.companySecretCode,
    companyCode: enterprise.code,
    mhyJXMC: fields.mhyJXMC,
    emissionLevel: fields.emissionLevel,
    mhyFrameNo: fields.mhyFrameNo,
    mhyProdDate: fields.mhyProdDate,
    imageInfo,
    mhyStatus: fields.mhyStatus
  }
}

/**
 * ysl (运输量) in tonnes as at most 4 characters (ERRATA E33): as many decimals as fit, rounded ("35.46" → "35.5",
 * "1234.5" → "1235"); null when the weight has more than 4 integer digits.
 */
export function yslOf(tonnes: number): string | null {
  if (!Number.isFinite(tonnes) || tonnes < 0) return null
  for (const decimals of [2, 1, 0]) {
    const text = String(Number(tonnes.toFixed(decimals)))
    if (text.length <= 4) return text
  }
  return null
}
