import type { ReplyStyle } from './replies'

/**
 * Where the spec contradicts itself, each city may read it differently. These switches pick the reading per city
 * (config `platform.wire`); the defaults follow ERRATA.md.
 */
export interface WireOptions {
  /** ERRATA E01: 4.1.2/4.1.7/4.1.8 inside the 4.1 envelope (default), or flat as printed. */
  vehicleBodies: 'envelope' | 'flat'
  /** ERRATA E03: accept either reply style from every interface (default), or only the style each section prints. */
  replyStyle: 'either' | 'as-printed'
  /**
   * ERRATA E28: sharePhotoInfo as multipart `file` + `info` with base64Image filled (default), the same with
   * base64Image left empty, or one JSON envelope carrying base64Image as the 4.1.5 example prints it.
   */
  photoUpload: 'multipart' | 'multipart-without-base64' | 'json-base64'
  /** ERRATA E18: 4.1.4 sends bgzt (1 passed, 0 not raised; default), or gateSignal with the inverted 4.2.11 codes. */
  passField: 'bgzt' | 'gateSignal'
}

export const DEFAULT_WIRE: WireOptions = { vehicleBodies: 'envelope', replyStyle: 'either', photoUpload: 'multipart', passField: 'bgzt' }

export const PATHS = {
  getData: '/restapi/transportControl/get_data',
  putData: '/restapi/transportControl/put_data',
  putFile: '/restapi/transportControl/put_file'
} as const

/** 4.1.2/4.1.7/4.1.8: printed flat, answering {result, err, data} (ERRATA E01). */
const VEHICLE_FILINGS = new Set(['shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec'])
/** 4.1.7/4.1.8 carry the token again as value.accessToken (ERRATA E01). */
const TOKEN_IN_VALUE = new Set(['shareInnerVehInfo', 'shareInnerMHYElec'])
/** The put_data interfaces; the others have their own client method. */
export const PUT_DATA_IPCTYPES = new Set(['shareDrivingRecord', 'shareGoodsRecord', 'shareVehInfo', 'shareInnerVehInfo', 'shareInnerMHYElec'])

/** The reply style the section prints, which `replyStyle: 'as-printed'` insists on. */
export function printedReplyStyle(ipctype: string): ReplyStyle {
  return VEHICLE_FILINGS.has(ipctype) ? 'result-err-data' : 'code-status'
}

/** ERRATA E18: bgzt 1 (arm raised, passed) → gateSignal 0; bgzt 0 (arm not raised) → gateSignal 1. */
export function gateSignalOf(bgzt: string): string {
  return bgzt === '1' ? '0' : '1'
}

/** The value as this city wants it on the wire: the token copied in (E01) and bgzt renamed when configured (E18). */
export function wireValue(ipctype: string, value: Record<string, string>, token: string, wire: WireOptions): Record<string, string> {
  let out = value
  if (TOKEN_IN_VALUE.has(ipctype)) out = { ...out, accessToken: token }
  if (ipctype === 'shareDrivingRecord' && wire.passField === 'gateSignal' && out.bgzt !== undefined) {
    const { bgzt, ...rest } = out
    out = { ...rest, gateSignal: gateSignalOf(bgzt) }
  }
  return out
}

/** The JSON body of one put_data or get_data call (spec 2.4, ERRATA E01). */
export function requestBody(ipctype: string, value: Record<string, string>, envelope: { organ: string; token: string }, wire: WireOptions): object {
  const fields = wireValue(ipctype, value, envelope.token, wire)
  if (VEHICLE_FILINGS.has(ipctype) && wire.vehicleBodies === 'flat') return fields
  return { organ: envelope.organ, ipctype, access_token: envelope.token, value: fields }
}
