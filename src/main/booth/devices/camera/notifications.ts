import { attribute, child, children, soapBody, text, type XmlNode } from './xml'

/** One wsnt:NotificationMessage of a PullMessagesResponse, flattened. */
export interface Notification {
  /** e.g. tns1:Device/Trigger/DigitalInput (prefix as the camera wrote it). */
  topic: string
  /** Epoch ms of tt:Message/@UtcTime, null when absent or unreadable. */
  at: number | null
  source: Record<string, string>
  data: Record<string, string>
  /** tt:ElementItem children of Data, by Name. */
  elements: Record<string, XmlNode>
}

/** The notifications of a PullMessagesResponse; throws MalformedXmlError when the reply is not SOAP. */
export function parsePullMessages(xml: string): Notification[] {
  const response = child(soapBody(xml), 'PullMessagesResponse')
  if (!response) return []
  return children(response, 'NotificationMessage').map((message) => {
    const inner = child(child(message, 'Message'), 'Message')
    const utc = attribute(inner, 'UtcTime')
    const parsed = utc ? Date.parse(utc) : NaN
    return {
      topic: text(child(message, 'Topic') ?? (message as XmlNode).Topic),
      at: Number.isNaN(parsed) ? null : parsed,
      source: simpleItems(child(inner, 'Source')),
      data: simpleItems(child(inner, 'Data')),
      elements: Object.fromEntries(children(child(inner, 'Data'), 'ElementItem').map((item) => [attribute(item, 'Name') ?? '', item]))
    }
  })
}

function simpleItems(node: XmlNode | undefined): Record<string, string> {
  return Object.fromEntries(children(node, 'SimpleItem').map((item) => [attribute(item, 'Name') ?? '', attribute(item, 'Value') ?? '']))
}

/** A plate as the camera's analytics reported it, before the boundary normalises the plate. */
export interface PlateEvent {
  plate: string
  /** B7.1 code, null when the camera gave no colour or one we do not know. */
  colour: string | null
  confidence: number | null
  at: number | null
}

/**
 * Plate topics seen on cameras: the ONVIF analytics forms tns1:RuleEngine/LicensePlateRecognition/…,
 * tns1:RuleEngine/LicensePlateDetector/…, and vendor forms under tns1:VideoAnalytics/… or …/ANPR.
 */
const PLATE_TOPIC = /LicensePlate|PlateRecognition|ANPR|VehiclePlate/i
const PLATE_ITEMS = ['PlateNumber', 'LicensePlate', 'Plate', 'PlateText', 'PlateNo', 'Number']
const COLOUR_ITEMS = ['PlateColor', 'PlateColour', 'Color', 'Colour', 'PlateType']
const CONFIDENCE_ITEMS = ['Likelihood', 'Confidence']

export function plateFromNotification(notification: Notification): PlateEvent | null {
  if (!PLATE_TOPIC.test(notification.topic)) return null
  const info = Object.values(notification.elements)
    .map((element) => child(element, 'LicensePlateInfo'))
    .find((node) => node !== undefined)
  if (info) {
    const number = child(info, 'PlateNumber') ?? (info as XmlNode).PlateNumber
    const plate = text(number)
    if (!plate) return null
    return {
      plate,
      colour: plateColourCode(text((info as XmlNode).PlateType) || firstOf(notification.data, COLOUR_ITEMS)),
      confidence: confidenceOf(attribute(number, 'Likelihood') ?? firstOf(notification.data, CONFIDENCE_ITEMS)),
      at: notification.at
    }
  }
  const plate = firstOf(notification.data, PLATE_ITEMS)
  if (!plate) return null
  return {
    plate,
    colour: plateColourCode(firstOf(notification.data, COLOUR_ITEMS)),
    confidence: confidenceOf(firstOf(notification.data, CONFIDENCE_ITEMS)),
    at: notification.at
  }
}

export interface DigitalInputEvent {
  input: string
  active: boolean
  at: number | null
}

/** tns1:Device/Trigger/DigitalInput with Source InputToken and Data LogicalState (ONVIF Core, Device IO). */
export function digitalInputFromNotification(notification: Notification): DigitalInputEvent | null {
  if (!/Trigger\/DigitalInput$/.test(notification.topic)) return null
  const state = notification.data.LogicalState
  if (state === undefined) return null
  return { input: notification.source.InputToken ?? '', active: state === 'true' || state === '1', at: notification.at }
}

function firstOf(items: Record<string, string>, names: string[]): string {
  for (const name of names) if (items[name]) return items[name]!
  return ''
}

/** Likelihood 0–1 or a percentage 0–100, as cameras differ. */
function confidenceOf(raw: string | undefined): number | null {
  if (!raw) return null
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) return null
  return value > 1 ? Math.min(value / 100, 1) : value
}

/** Camera colour words (English or Chinese) to B7.1: 0 蓝 1 黄 2 白 3 黑 4 新能源 5 其他. */
export function plateColourCode(raw: string): string | null {
  const word = raw.trim().toLowerCase()
  if (!word) return null
  if (/green|绿|新能源|yellowgreen/.test(word)) return '4'
  if (/blue|蓝/.test(word)) return '0'
  if (/yellow|黄/.test(word)) return '1'
  if (/white|白/.test(word)) return '2'
  if (/black|黑/.test(word)) return '3'
  return '5'
}
