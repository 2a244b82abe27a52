import { XMLParser } from 'fast-xml-parser'
import { PLATE_CLOSEUP_ZPBH } from '@shared/contract'
import type { FieldIssue } from '../../core/api/errors'
import type { PushedRead } from './camera-read'
import type { FormPart } from './multipart'
import { hikvisionVehicleClass } from './vehicle-class'

/**
 * 海康威视 (Hikvision) ANPR cameras in "HTTP listening" (监听) mode post each plate as an ISAPI alarm: a
 * multipart/form-data body whose first part is the `EventNotificationAlert` (XML, or JSON on newer firmware) and whose
 * other parts are the pictures it names in `ANPR.pictureInfoList` (licensePlatePicture.jpg: the plate close-up;
 * detectionPicture.jpg / vehiclePicture.jpg: the scene). Some firmware posts the XML alone. Fields as the ISAPI
 * (ANPR) developer guide names them: eventType `ANPR`, dateTime (ISO-8601 with offset), ANPR.licensePlate,
 * plateColor (blue, yellow, white, black, green …), vehicleType, confidenceLevel (0–100), UUID.
 */
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, isArray: (name) => name === 'pictureInfo' })

/** Largest alert document taken (the XML or JSON part); the pictures are apart. */
const MAX_ALERT_BYTES = 256 * 1024

/** plateColor → B7.1 (0 蓝 1 黄 2 白 3 黑 4 新能源 5 其他). */
export function hikvisionColour(plateColor: string | undefined): string {
  const colour = (plateColor ?? '').toLowerCase()
  if (colour.includes('green')) return '4'
  return { blue: '0', yellow: '1', white: '2', black: '3' }[colour] ?? '5'
}

type Alert = Record<string, unknown>

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number') return String(value)
  return undefined
}

/** The alert document, from XML or JSON text; issues when it is neither or not an ANPR alert. */
export function parseHikvisionAlert(body: Buffer, contentType: string): { alert: Alert } | { issues: FieldIssue[] } {
  if (body.length > MAX_ALERT_BYTES) return { issues: [{ path: 'EventNotificationAlert', message: '报警报文超过 256 KB' }] }
  const source = body.toString('utf8').replace(/^\uFEFF/, '').trim()
  let alert: Alert | undefined
  if (/json/i.test(contentType) || source.startsWith('{')) {
    try {
      const parsed = JSON.parse(source) as Alert
      alert = (parsed.EventNotificationAlert as Alert | undefined) ?? parsed
    } catch {
      return { issues: [{ path: 'EventNotificationAlert', message: '报警报文不是有效的 JSON' }] }
    }
  } else {
    if (!source.startsWith('<')) return { issues: [{ path: 'EventNotificationAlert', message: '报警报文不是 XML' }] }
    try {
      alert = (parser.parse(source, true) as Alert).EventNotificationAlert as Alert | undefined
    } catch (error) {
      return { issues: [{ path: 'EventNotificationAlert', message: `报警报文 XML 格式错误：${(error as Error).message.split('\n')[0]}` }] }
    }
  }
  if (!alert || typeof alert !== 'object') return { issues: [{ path: 'EventNotificationAlert', message: '报文中没有 EventNotificationAlert' }] }
  if (text(alert.eventType)?.toUpperCase() !== 'ANPR') return { issues: [{ path: 'EventNotificationAlert.eventType', message: `不是车牌识别报警（eventType ${text(alert.eventType) ?? '缺失'}）` }] }
  return { alert }
}

/** True for a JSON body that is a Hikvision ANPR alert posted without pictures. */
export function isHikvisionJson(body: unknown): boolean {
  return typeof body === 'object' && body !== null && ('EventNotificationAlert' in body || ('eventType' in body && 'ANPR' in body))
}

/** Maps the alert (and the multipart's pictures) onto a read. */
export function pushedReadFromHikvision(alert: Alert, pictures: readonly FormPart[]): { pushed: PushedRead } | { issues: FieldIssue[] } {
  const anpr = alert.ANPR as Alert | undefined
  const plate = text(anpr?.licensePlate)
  if (!anpr || !plate) return { issues: [{ path: 'EventNotificationAlert.ANPR.licensePlate', message: '缺少车牌号' }] }
  const when = text(alert.dateTime)
  const cameraAt = when ? Date.parse(when) : NaN
  const confidence = Number(text(anpr.confidenceLevel))
  const listed = (anpr.pictureInfoList as Alert | undefined)?.pictureInfo
  const infos = (Array.isArray(listed) ? listed : listed ? [listed] : []) as Alert[]
  const typeOf = (part: FormPart) => text(infos.find((info) => text(info.fileName) === (part.filename ?? part.name))?.type) ?? part.name.replace(/\.jpe?g$/i, '')
  // The scene is the front photo (B7.2 1); the plate close-up stands in for it when no scene came, else is kept beside it.
  const scene = pictures.find((part) => /detection|vehicle|scene/i.test(typeOf(part)))
  const closeUp = pictures.find((part) => /plate/i.test(typeOf(part)))
  const front = scene ?? closeUp
  const binaryImages: NonNullable<PushedRead['binaryImages']> = front ? [{ zpbh: '1', path: front.filename ?? front.name, jpeg: front.body }] : []
  if (scene && closeUp) binaryImages.push({ zpbh: PLATE_CLOSEUP_ZPBH, path: closeUp.filename ?? closeUp.name, jpeg: closeUp.body })
  return {
    pushed: {
      plate,
      colour: hikvisionColour(text(anpr.plateColor)),
      cameraAt: Number.isFinite(cameraAt) ? cameraAt : null,
      eventId: text(alert.UUID) ?? null,
      images: [],
      binaryImages,
      confidence: Number.isFinite(confidence) && confidence >= 0 && confidence <= 100 ? confidence / 100 : null,
      vehicleClass: hikvisionVehicleClass(text(anpr.vehicleType) ?? text((alert.VehicleInfo as Alert | undefined)?.vehicleType))
    }
  }
}

/** A multipart post: the alert part (XML or JSON) and the pictures. */
export function parseHikvisionMultipart(parts: readonly FormPart[]): { pushed: PushedRead } | { issues: FieldIssue[] } {
  const alertPart = parts.find((part) => /xml|json/i.test(part.contentType) || /\.(xml|json)$/i.test(part.filename ?? part.name))
  if (!alertPart) return { issues: [{ path: 'multipart', message: '推送中没有 EventNotificationAlert 报文（XML/JSON 部分）' }] }
  const parsed = parseHikvisionAlert(alertPart.body, alertPart.contentType)
  if ('issues' in parsed) return parsed
  return pushedReadFromHikvision(parsed.alert, parts.filter((part) => part !== alertPart))
}
