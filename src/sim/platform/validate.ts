import { isCode, LSH_PATTERN, parseLsh, parseSpecDateTime, type DictionaryKey } from '@shared/spec'

/** One field of a 4.1 `value`, as the simulator checks it (its own reading of the spec tables and ERRATA). */
interface FieldRule {
  max?: number
  /** Must not be "" (key fields; ERRATA E09 allows "" elsewhere). */
  key?: boolean
  code?: DictionaryKey | readonly string[]
  pattern?: RegExp
  datetime?: boolean
  jpeg?: boolean
}

const code10 = { key: true, pattern: /^\d{10}$/ }
const passageCommon: Record<string, FieldRule> = {
  lsh: { key: true, max: 32 },
  qybh: code10,
  qymc: { max: 150 },
  dzbh: { key: true, pattern: /^\d{2}$/ },
  cphm: { key: true, max: 20 },
  cpys: { key: true, code: 'licenseColor' }
}
const vehicle: Record<string, FieldRule> = {
  companySecretCode: { max: 32 },
  license: { key: true, max: 14 },
  licenseColor: { key: true, code: 'licenseColor' },
  vehicleType: { max: 3, code: 'vehicleType' },
  vin: { max: 32 },
  useCharacter: { max: 1, code: 'useCharacter' },
  engineNo: { max: 32 },
  onwer: { max: 100 },
  address: { max: 300 },
  model: { max: 100 },
  registerDate: { max: 14 },
  issueDate: { max: 14 },
  emissionStandard: { max: 1, code: 'emissionStage' },
  drivingLicenseImg: { jpeg: true },
  drivingLicenseImg2: { jpeg: true }
}
const status = ['1', '2', '3'] as const

export const RULES: Record<string, Record<string, FieldRule>> = {
  getCheckVehicle: { license: { key: true, max: 20 }, licenseColor: { key: true, code: 'licenseColor' } },
  shareDrivingRecord: {
    ...passageCommon,
    tgsjq: { key: true, datetime: true },
    tgsjz: { datetime: true },
    tgzt: { key: true, code: ['1', '2'] },
    bgzt: { key: true, code: ['0', '1'] }
  },
  sharePhotoInfo: {
    ...passageCommon,
    zpbh: { key: true, code: 'photoNumber' },
    zplx: { key: true, code: 'photoType' },
    base64Image: { key: true, jpeg: true },
    pzsj: { key: true, datetime: true }
  },
  shareGoodsRecord: { ...passageCommon, hwmc: { max: 32 }, ysl: { max: 4, pattern: /^\d+(\.\d+)?$/ }, djsj: { datetime: true } },
  shareVehInfo: vehicle,
  shareInnerVehInfo: { accessToken: { max: 50 }, companyCode: code10, ...vehicle, carStatus: { key: true, code: status } },
  shareInnerMHYElec: {
    accessToken: { max: 50 },
    mhyPlate: { key: true, max: 14 },
    companySecretCode: { max: 32 },
    companyCode: code10,
    mhyJXMC: { max: 64 },
    emissionLevel: { max: 1, code: 'emissionStage' },
    mhyFrameNo: { max: 64 },
    mhyProdDate: { max: 14 },
    imageInfo: { key: true, jpeg: true },
    mhyStatus: { key: true, code: status }
  }
}

export const MAX_PHOTO_BYTES = 1_000_000

export function jpegProblem(bytes: Buffer): string | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return '不是 JPEG'
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return 'JPEG 不完整'
  if (bytes.length > MAX_PHOTO_BYTES) return `照片超过 1M (${bytes.length} 字节)`
  return null
}

/** How this simulated city reads the contradictory parts of the spec (the client's `platform.wire` counterpart). */
export interface CityReading {
  /** ERRATA E18: the 4.1.4 pass field this city expects. */
  passField: 'bgzt' | 'gateSignal'
}

/** The per-request facts the check depends on. */
export interface ValidationContext {
  city: CityReading
  /** A multipart `file` came with the request: base64Image may then be "" (ERRATA E28 switch). */
  fileAttached: boolean
}

function rulesFor(ipctype: string, context: ValidationContext): Record<string, FieldRule> | undefined {
  const rules = RULES[ipctype]
  if (!rules) return undefined
  if (ipctype === 'shareDrivingRecord' && context.city.passField === 'gateSignal') {
    const { bgzt: _printed, ...rest } = rules
    return { ...rest, gateSignal: { key: true, code: ['0', '1', '2'] } }
  }
  if (ipctype === 'sharePhotoInfo' && context.fileAttached) return { ...rules, base64Image: { jpeg: true } }
  return rules
}

/** The interface a flat body (ERRATA E01, as printed) stands for, told by its fields; null when none fits. */
export function flatIpctypeOf(body: Record<string, unknown>): string | null {
  if ('mhyPlate' in body) return 'shareInnerMHYElec'
  if ('carStatus' in body) return 'shareInnerVehInfo'
  if ('license' in body && 'vin' in body) return 'shareVehInfo'
  return null
}

/** Every problem of one request's `value`, as 'value.field: reason'; empty when it passes the format check. */
export function validateValue(ipctype: string, value: unknown, context: ValidationContext = { city: { passField: 'bgzt' }, fileAttached: false }): string[] {
  const rules = rulesFor(ipctype, context)
  if (!rules) return [`ipctype: 未知接口 ${ipctype}`]
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['value: 必须是对象']
  const record = value as Record<string, unknown>
  const problems: string[] = []
  for (const name of Object.keys(record)) if (!(name in rules)) problems.push(`value.${name}: 未定义的字段`)
  for (const [name, rule] of Object.entries(rules)) {
    const field = record[name]
    if (field === undefined) {
      problems.push(`value.${name}: 缺少字段`)
      continue
    }
    if (typeof field !== 'string') {
      problems.push(`value.${name}: 必须是字符串`)
      continue
    }
    if (field === '') {
      if (rule.key) problems.push(`value.${name}: 不能为空`)
      continue
    }
    const problem = fieldProblem(field, rule)
    if (problem) problems.push(`value.${name}: ${problem}`)
  }
  if (ipctype === 'shareVehInfo' || ipctype === 'shareInnerVehInfo') {
    if (!record.drivingLicenseImg && !record.drivingLicenseImg2) problems.push('value.drivingLicenseImg: 行驶证与随车清单不能同时为空')
  }
  if (typeof record.lsh === 'string' && record.lsh !== '') problems.push(...lshProblems(record))
  return problems
}

function fieldProblem(field: string, rule: FieldRule): string | null {
  if (rule.max !== undefined && [...field].length > rule.max) return `超过最大长度 ${rule.max}`
  if (rule.pattern && !rule.pattern.test(field)) return '格式不正确'
  if (rule.code) {
    const known = typeof rule.code === 'string' ? isCode(rule.code, field) : rule.code.includes(field)
    if (!known) return `不在 ${typeof rule.code === 'string' ? rule.code : rule.code.join('/')} 中`
  }
  if (rule.datetime && (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(field) || !parseSpecDateTime(field))) return '时间格式应为 yyyy-MM-dd HH:mm:ss'
  if (rule.jpeg) {
    if (!isBase64(field)) return '不是 base64'
    return jpegProblem(decodeBase64(field).bytes)
  }
  return null
}

const BASE64_ALPHABET = new Uint8Array(128)
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[char.charCodeAt(0)] = 1

/** The last base64 text decoded: a photo's base64 is checked, decoded, compared and summarised once per request. */
let lastDecoded: { text: string; bytes: Buffer; canonical: boolean } | null = null

/** A base64 text's bytes (Node's lenient decoding), and whether re-encoding them gives the text back exactly. */
export function decodeBase64(text: string): { bytes: Buffer; canonical: boolean } {
  if (lastDecoded?.text !== text) {
    const bytes = Buffer.from(text, 'base64')
    lastDecoded = { text, bytes, canonical: bytes.toString('base64') === text }
  }
  return lastDecoded
}

/**
 * The base64 alphabet with at most two '=' at the end: what /^[A-Za-z0-9+/]*={0,2}$/ accepts. A canonical text (the
 * usual case: a decode and a re-encode, both native, give it back) is in it; only others are walked character by
 * character (the regex, then that walk, were the simulator's largest cost per put_file).
 */
export function isBase64(text: string): boolean {
  if (decodeBase64(text).canonical) return true
  const end = text.length - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0)
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code > 127 || BASE64_ALPHABET[code] !== 1) return false
  }
  return true
}

/** A6.4 and ERRATA E17: the serial number names this enterprise, this gate and the same direction as tgzt. */
function lshProblems(record: Record<string, unknown>): string[] {
  const lsh = record.lsh as string
  if (!LSH_PATTERN.test(lsh)) return ['value.lsh: 不符合 A6.4 (企业编号10+道闸编号2+A/B+yyMMddHHmmss)']
  const parsed = parseLsh(lsh)
  if (!parsed) return ['value.lsh: 时间部分不是有效时间']
  const problems: string[] = []
  if (record.qybh !== undefined && parsed.enterpriseCode !== record.qybh) problems.push('value.lsh: 企业编号与 qybh 不一致')
  if (record.dzbh !== undefined && parsed.gateCode !== record.dzbh) problems.push('value.lsh: 道闸编号与 dzbh 不一致')
  if (record.tgzt !== undefined && (parsed.direction === 'in' ? '1' : '2') !== record.tgzt) problems.push('value.lsh: 进出状态与 tgzt 不一致')
  return problems
}
