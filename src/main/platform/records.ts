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
