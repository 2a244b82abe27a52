/**
 * From the lines the reader found on a picture to the form's fields: which document it is (by the words printed on
 * it), each field's text found beside its printed label, and each field checked by its rule (rules.ts). Pure: the
 * lines come in, the fields go out.
 */
import { OCR_LOW_CONFIDENCE, type OcrDocument, type OcrField, type OcrFieldName } from '@shared/contract'
import { checkCode, checkDate, checkEmissionStage, checkEngineNo, checkModel, checkPlate, checkText, checkVin, type Checked } from './rules'

/** One line the reader found: its text, its confidence (0–1) and its four corners (top-left, top-right, bottom-right, bottom-left). */
export interface OcrLine {
  text: string
  mean: number
  box: [number, number][]
}

export type KnownDocument = Exclude<OcrDocument, 'auto'>

interface FieldDef {
  field: OcrFieldName
  /** The printed labels, as read (without spaces). */
  labels: string[]
  check(read: string, today: Date): Checked
}

const PLATE: FieldDef = { field: 'license', labels: ['号牌号码'], check: checkPlate }
const VIN: FieldDef = { field: 'vin', labels: ['车辆识别代号', '车辆识别代码', '识别代号'], check: checkVin }

/** What each document prints, field by field. */
const DOCUMENT_FIELDS: Record<KnownDocument, FieldDef[]> = {
  licenseMain: [
    PLATE,
    { field: 'vehicleType', labels: ['车辆类型'], check: (read) => checkCode('vehicleType', read) },
    { field: 'onwer', labels: ['所有人'], check: (read) => checkText(read, 100) },
    { field: 'address', labels: ['住址'], check: (read) => checkText(read, 300) },
    { field: 'useCharacter', labels: ['使用性质'], check: (read) => checkCode('useCharacter', read) },
    { field: 'model', labels: ['品牌型号'], check: checkModel },
    VIN,
    { field: 'engineNo', labels: ['发动机号码', '发动机号'], check: checkEngineNo },
    { field: 'registerDate', labels: ['注册日期'], check: checkDate },
    { field: 'issueDate', labels: ['发证日期'], check: checkDate }
  ],
  licenseVice: [PLATE],
  goodsList: [
    VIN,
    { field: 'emissionStandard', labels: ['排放阶段', '排放标准'], check: checkEmissionStage },
    { field: 'fuelType', labels: ['燃料类型', '燃料种类'], check: (read) => checkCode('fuelType', read) }
  ]
}

/** Words that tell the document apart, beside its field labels. */
const DOCUMENT_WORDS: Record<KnownDocument, string[]> = {
  licenseMain: ['机动车行驶证', '行驶证'],
  licenseVice: ['副页', '档案编号', '核定载', '总质量', '整备质量', '外廓尺寸', '检验记录'],
  goodsList: ['随车清单', '信息公开', '环保信息', '排放阶段', '燃料类型', '发动机型号']
}

/** Every label of every document: a line holding one of them is a label, not a value. */
const ALL_LABELS = [...new Set([...Object.values(DOCUMENT_FIELDS).flatMap((defs) => defs.flatMap((def) => def.labels)), '档案编号', '核定载人数', '总质量', '整备质量', '核定载质量', '外廓尺寸', '准牵引总质量', '备注', '检验记录', '车辆型号', '发动机型号', '生产日期', '商标'])]

const squeeze = (text: string) => text.replace(/[\s:：]/g, '')

/** The document these lines are from, or null when they are none of the three (a receipt, a blank page …). */
export function classify(lines: readonly OcrLine[]): KnownDocument | null {
  const text = lines.map((line) => squeeze(line.text)).join('|')
  const scores = (Object.keys(DOCUMENT_FIELDS) as KnownDocument[]).map((document) => {
    const labels = DOCUMENT_FIELDS[document].filter((def) => def.labels.some((label) => text.includes(label))).length
    const words = DOCUMENT_WORDS[document].filter((word) => text.includes(word)).length
    return { document, score: labels + words }
  })
  scores.sort((a, b) => b.score - a.score)
  const best = scores[0]!
  return best.score >= 2 ? best.document : null
}

/** Each field of the document found on the picture, checked, with its confidence (lowered when it fails its rule). */
export function extractFields(document: KnownDocument, lines: readonly OcrLine[], today: Date): OcrField[] {
  const fields: OcrField[] = []
  for (const def of DOCUMENT_FIELDS[document]) {
    const found = findValue(def.labels, lines)
    if (!found) continue
    const checked = def.check(found.text, today)
    const confidence = checked.problem ? Math.min(found.confidence, 0.3) : found.confidence
    fields.push({ field: def.field, value: checked.value, read: found.text, confidence: round(confidence), problem: checked.problem, low: checked.problem !== null || confidence < OCR_LOW_CONFIDENCE })
  }
  return crossCheck(fields)
}

/** A licence issued before the vehicle was registered is misread somewhere: both dates get checked. */
function crossCheck(fields: OcrField[]): OcrField[] {
  const registered = fields.find((field) => field.field === 'registerDate' && !field.problem)
  const issued = fields.find((field) => field.field === 'issueDate' && !field.problem)
  if (!registered || !issued || issued.value >= registered.value) return fields
  return fields.map((field) => (field === issued || field === registered ? { ...field, problem: '发证日期早于注册日期，请核对', confidence: Math.min(field.confidence, 0.3), low: true } : field))
}

interface Found {
  text: string
  confidence: number
}

/**
 * The text printed for a label: the rest of the label's own line (the reader often takes label and value as one
 * line), else the nearest line to its right on the same row that is not itself a label.
 */
function findValue(labels: readonly string[], lines: readonly OcrLine[]): Found | null {
  for (const line of lines) {
    const text = squeeze(line.text)
    const label = labels.find((candidate) => text.includes(candidate))
    if (!label) continue
    const rest = untilNextLabel(text.slice(text.indexOf(label) + label.length))
    if (rest) return { text: restWithSpaces(line.text, label, rest), confidence: line.mean }
    const beside = nearestToTheRight(line, lines)
    if (beside) return { text: untilNextLabel(beside.text.trim()) || beside.text.trim(), confidence: Math.min(line.mean, beside.mean) }
  }
  return null
}

/** A value line may run into the next label (two boxes read as one): keep what comes before it. */
function untilNextLabel(text: string): string {
  let end = text.length
  for (const label of ALL_LABELS) {
    const at = text.indexOf(label)
    if (at >= 0 && at < end) end = at
  }
  return text.slice(0, end)
}

/** The value as printed (an address or owner keeps its spaces), located after the label in the original line. */
function restWithSpaces(original: string, label: string, squeezed: string): string {
  const chars = [...label]
  let at = 0
  let matched = 0
  for (; at < original.length && matched < chars.length; at++) if (original[at] === chars[matched]) matched++
  const rest = original.slice(at).replace(/^[\s:：]+/, '')
  return squeeze(rest) === squeezed ? rest.trim() : squeezed
}

function nearestToTheRight(label: OcrLine, lines: readonly OcrLine[]): OcrLine | null {
  const { top, bottom, right } = bounds(label)
  const middle = (top + bottom) / 2
  const height = bottom - top
  let best: { line: OcrLine; distance: number } | null = null
  for (const line of lines) {
    if (line === label) continue
    const other = bounds(line)
    const otherMiddle = (other.top + other.bottom) / 2
    if (Math.abs(otherMiddle - middle) > height * 0.6 || other.left < right - height) continue
    if (ALL_LABELS.some((candidate) => squeeze(line.text).startsWith(candidate))) continue
    const distance = other.left - right
    if (!best || distance < best.distance) best = { line, distance }
  }
  return best?.line ?? null
}

export function bounds(line: OcrLine): { left: number; right: number; top: number; bottom: number } {
  const xs = line.box.map(([x]) => x)
  const ys = line.box.map(([, y]) => y)
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) }
}

const round = (x: number) => Math.round(x * 1000) / 1000
