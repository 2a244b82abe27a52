import { dictionaries, isCode, LSH_PATTERN, parseLsh, parseSpecDateTime, type DictionaryKey } from '@shared/spec'
import { jpegProblem } from '../photos/jpeg'
import { platformInterfaces, type PlatformIpctype } from './spec-fields.generated'

/** One reason a record would fail the platform's format check (952), in Chinese, naming the field. */
export interface PreflightProblem {
  field: string
  message: string
}

type Shape = 'text' | 'datetime' | 'date' | 'enterpriseCode' | 'gateCode' | 'lsh' | 'decimal' | 'image'

/** One value field as the client checks it: the spec table row with the ERRATA readings applied. */
export interface FieldRule {
  name: string
  /** The field's Chinese name, from the spec table. */
  label: string
  /** Maximum length in characters (ERRATA E08), null = 按需. */
  max: number | null
  /** Must not be "" (ERRATA E09 allows "" elsewhere, for values not known). */
  key: boolean
  /** A B7.x code table or an inline code list. */
  codes: { table: string; allowed: (code: string) => boolean } | null
  shape: Shape
  /** Filled in by the client at send time, so a record may leave it out. */
  filledByClient: boolean
}

/** Fields that identify a record or that a record is pointless without (ERRATA E09, E35, E36). */
const KEY_FIELDS = new Set([
  'username', 'password', 'license', 'licenseColor', 'lsh', 'qybh', 'dzbh', 'cphm', 'cpys', 'tgsjq', 'tgzt', 'bgzt',
  'zpbh', 'zplx', 'pzsj', 'hwmc', 'ysl', 'companyCode', 'carStatus', 'mhyPlate', 'imageInfo', 'mhyStatus'
])

/** ERRATA readings that override the printed table, by field name. */
const OVERRIDES: Record<string, Partial<Omit<FieldRule, 'name' | 'label'>>> = {
  // E01/E04: value.accessToken of 4.1.7/4.1.8 is the current token, up to 50 characters, set by the client.
  accessToken: { max: 50, filledByClient: true },
  // E28/E29: the photo is attached by putPhoto, re-encoded to ≤ 700,000 bytes; its printed length "1" is a typo.
  // The inline images of 4.1.2/4.1.7/4.1.8 are JPEGs too, re-encoded by putData when too big.
  base64Image: { max: null, shape: 'image', filledByClient: true },
  drivingLicenseImg: { shape: 'image' },
  drivingLicenseImg2: { shape: 'image' },
  imageInfo: { shape: 'image' },
  // E21: the full 3-character B7.7 code.
  vehicleType: { max: 3 },
  // E14/E15: the 10-digit enterprise code and the two-digit gate code.
  qybh: { max: 10, shape: 'enterpriseCode' },
  companyCode: { max: 10, shape: 'enterpriseCode' },
  dzbh: { shape: 'gateCode' },
  // E16/E17: A6.4.
  lsh: { shape: 'lsh' },
  // E25: date-only fields as yyyy-MM-dd.
  registerDate: { shape: 'date' },
  issueDate: { shape: 'date' },
  mhyProdDate: { shape: 'date' },
  // E33: a plain decimal of at most 4 characters.
  ysl: { shape: 'decimal' },
  // E35: mhyPlate has no table row; 14 as in 4.2.20/4.2.21.
  mhyPlate: { max: 14 }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

function labelOf(description: string): string {
  return description.split(/[，,（(\s]|见附录|参照/)[0] ?? description
}

function codesOf(field: { dictionaryKey: string | null; codes: readonly string[] | null }): FieldRule['codes'] {
  if (field.codes) {
    const list = field.codes
    return { table: list.join('/'), allowed: (code) => list.includes(code) }
  }
  if (field.dictionaryKey && field.dictionaryKey in dictionaries) {
    const key = field.dictionaryKey as DictionaryKey
    return { table: `${dictionaries[key].id} ${dictionaries[key].title}`, allowed: (code) => isCode(key, code) }
  }
  return null
}

function buildRules(): Record<PlatformIpctype, FieldRule[]> {
  const rules = {} as Record<PlatformIpctype, FieldRule[]>
  for (const [ipctype, spec] of Object.entries(platformInterfaces) as [PlatformIpctype, (typeof platformInterfaces)[PlatformIpctype]][]) {
    rules[ipctype] = spec.fields.map((field) => ({
      name: field.name,
      label: labelOf(field.description),
      max: field.maxLength,
      key: KEY_FIELDS.has(field.name),
      codes: codesOf(field),
      shape: field.format === 'yyyy-MM-dd HH:mm:ss' ? 'datetime' : 'text',
      filledByClient: false,
      ...OVERRIDES[field.name]
    }))
  }
  return rules
}

/** The value fields of every 4.1 interface, as the client checks them before sending. */
export const FIELD_RULES: Readonly<Record<PlatformIpctype, readonly FieldRule[]>> = buildRules()

export function isPlatformIpctype(ipctype: string): ipctype is PlatformIpctype {
  return Object.prototype.hasOwnProperty.call(platformInterfaces, ipctype)
}

/**
 * Every reason the city platform's format check (952) would refuse this record's `value`, before it is sent: unknown
 * interface, missing or unknown fields, empty key fields, maximum lengths in characters, B7.x codes, the lsh form
 * (A6.4) and its agreement with qybh/dzbh/tgzt/zplx, date formats and inline photos. Empty when it would pass.
 * Pure; the outbox, the dead-letter editor and the ledger forms all use it.
 */
export function preflightProblems(ipctype: string, value: Record<string, string>): PreflightProblem[] {
  if (!isPlatformIpctype(ipctype)) return [{ field: 'ipctype', message: `未知的接口 ipctype：${ipctype}` }]
  const rules = FIELD_RULES[ipctype]
  const problems: PreflightProblem[] = []
  const known = new Set(rules.map((rule) => rule.name))
  for (const name of Object.keys(value)) {
    if (!known.has(name)) problems.push({ field: name, message: `字段 ${name} 不是 ${ipctype} 接口的字段` })
  }
  for (const rule of rules) {
    const field = value[rule.name]
    if (field === undefined) {
      if (!rule.filledByClient) problems.push({ field: rule.name, message: `缺少字段 ${rule.name}（${rule.label}）` })
      continue
    }
    if (typeof field !== 'string') {
      problems.push({ field: rule.name, message: `${rule.name}（${rule.label}）必须是字符串` })
      continue
    }
    if (field === '') {
      if (rule.key && !rule.filledByClient) problems.push({ field: rule.name, message: `${rule.name}（${rule.label}）不能为空` })
      continue
    }
    const problem = fieldProblem(rule, field)
    if (problem) problems.push({ field: rule.name, message: `${rule.name}（${rule.label}）${problem}` })
  }
  problems.push(...crossFieldProblems(ipctype, value))
  return problems
}

function fieldProblem(rule: FieldRule, field: string): string | null {
  if (rule.max !== null && [...field].length > rule.max) return `超过最大长度 ${rule.max} 个字符（现有 ${[...field].length} 个）`
  if (rule.codes && !rule.codes.allowed(field)) return `的值 “${field}” 不在代码表 ${rule.codes.table} 中`
  switch (rule.shape) {
    case 'datetime':
      return DATE_TIME.test(field) && parseSpecDateTime(field) ? null : `时间格式应为 yyyy-MM-dd HH:mm:ss（现为 “${field}”）`
    case 'date':
      return DATE.test(field) && parseSpecDateTime(field) ? null : `日期格式应为 yyyy-MM-dd（现为 “${field}”）`
    case 'enterpriseCode':
      return /^\d{10}$/.test(field) ? null : '应为 10 位数字的企业编号（附录 A6.2）'
    case 'gateCode':
      return /^(?!00)\d{2}$/.test(field) ? null : '应为两位数字 01–99 的道闸编号（附录 A6.3）'
    case 'lsh':
      if (!LSH_PATTERN.test(field)) return '不符合附录 A6.4：企业编号10位 + 道闸编号2位 + A/B + yyMMddHHmmss'
      return parseLsh(field) ? null : '中的时间不是有效时间（附录 A6.4）'
    case 'decimal':
      return /^\d+(\.\d+)?$/.test(field) ? null : `应为数字（吨），如 35.5（现为 “${field}”）`
    case 'image':
      return imageProblem(field)
    case 'text':
      return null
  }
}

function imageProblem(base64: string): string | null {
  if (base64.startsWith('data:')) return '不能带 data: 前缀，应为纯 base64'
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return '不是有效的 base64 字符串'
  // The size is not checked here: the client re-encodes an inline image over 700,000 bytes (ERRATA E29).
  const problem = jpegProblem(Buffer.from(base64, 'base64'))
  return problem ? `：${problem}` : null
}

/** Rules that tie fields together: lsh vs qybh/dzbh/tgzt/zplx (A6.4, ERRATA E17), the two licence images (4.1.2). */
function crossFieldProblems(ipctype: PlatformIpctype, value: Record<string, string>): PreflightProblem[] {
  const problems: PreflightProblem[] = []
  const parsed = typeof value.lsh === 'string' ? parseLsh(value.lsh) : null
  if (parsed) {
    if (value.qybh && parsed.enterpriseCode !== value.qybh) problems.push({ field: 'lsh', message: `lsh（流水号）中的企业编号 ${parsed.enterpriseCode} 与 qybh ${value.qybh} 不一致` })
    if (value.dzbh && parsed.gateCode !== value.dzbh) problems.push({ field: 'lsh', message: `lsh（流水号）中的道闸编号 ${parsed.gateCode} 与 dzbh ${value.dzbh} 不一致` })
    const letter = parsed.direction === 'in' ? 'A' : 'B'
    if ((value.tgzt === '1' || value.tgzt === '2') && (value.tgzt === '1') !== (letter === 'A')) {
      problems.push({ field: 'lsh', message: `lsh（流水号）的进出状态 ${letter} 与 tgzt ${value.tgzt} 不一致（A=进门=1，B=出门=2）` })
    }
    if ((value.zplx === '1' || value.zplx === '2') && (value.zplx === '1') !== (letter === 'A')) {
      problems.push({ field: 'lsh', message: `lsh（流水号）的进出状态 ${letter} 与 zplx ${value.zplx} 不一致（A=进厂=1，B=出厂=2）` })
    }
  }
  if ((ipctype === 'shareVehInfo' || ipctype === 'shareInnerVehInfo') && !value.drivingLicenseImg && !value.drivingLicenseImg2) {
    problems.push({ field: 'drivingLicenseImg', message: 'drivingLicenseImg（行驶证图片）与 drivingLicenseImg2（随车清单图片）不能同时为空' })
  }
  return problems
}
