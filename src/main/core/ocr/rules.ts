/**
 * The rule each field read from a document must pass, as pure functions: what the form takes (a normalised plate, a
 * yyyy-MM-dd date, a B7 code) and, when the text fails its rule, why (Chinese, shown beside the field).
 */
import { normalizePlate, plateProblem } from '@shared/plate'
import { dictionaries, labelOf, type DictionaryKey } from '@shared/spec'

export interface Checked {
  value: string
  problem: string | null
}

// ---- VIN (GB 16735 / ISO 3779): 17 characters, no I, O or Q, position 9 the check digit of the other 16.

const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
const VIN_LETTER_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9
}

/** The check digit (position 9) the other characters of a 17-character VIN call for, or null if one is not allowed. */
export function vinCheckDigit(vin: string): string | null {
  if (vin.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!
    const value = /\d/.test(ch) ? Number(ch) : VIN_LETTER_VALUES[ch]
    if (value === undefined) return null
    sum += value * VIN_WEIGHTS[i]!
  }
  const rest = sum % 11
  return rest === 10 ? 'X' : String(rest)
}

/** Why a VIN is not a valid one, or null. */
export function vinProblem(vin: string): string | null {
  if (vin.length !== 17) return `车辆识别代号应为 17 位（识别到 ${vin.length} 位）`
  if (/[IOQ]/.test(vin)) return '车辆识别代号不含字母 I、O、Q'
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return '车辆识别代号只含数字和大写字母'
  if (vinCheckDigit(vin) !== vin[8]) return '车辆识别代号第 9 位校验位不符，请核对'
  return null
}

/** A VIN as read: upper case, half-width, no separators; I/O/Q (never in a VIN) taken as the digits they resemble. */
export function checkVin(read: string): Checked {
  const vin = halfWidth(read)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(/[OQ]/g, '0')
    .replace(/I/g, '1')
  // A label's last letters or a stray mark read into the line: the 17 characters that make a valid VIN.
  for (let at = 0; vin.length > 17 && at + 17 <= vin.length; at++) {
    const window = vin.slice(at, at + 17)
    if (!vinProblem(window)) return { value: window, problem: null }
  }
  return { value: vin, problem: vinProblem(vin) }
}

// ---- Plate: the booth's own plate rules (src/shared/plate.ts).

export function checkPlate(read: string): Checked {
  const plate = normalizePlate(read).replace(/[^\p{Script=Han}A-Z0-9]/gu, '')
  // A character of the label read into the value (号鄂KP4352): the longest valid plate inside the text.
  for (let at = 0; at < plate.length; at++) {
    for (const length of [8, 7]) {
      const candidate = plate.slice(at, at + length)
      if (candidate.length === length && !plateProblem(candidate)) return { value: candidate, problem: null }
    }
  }
  return { value: plate, problem: plateProblem(plate) }
}

// ---- Dates: the spec's yyyy-MM-dd (ERRATA E25), from what a document prints (2019-05-20, 2019年5月20日, 2019.05.20).

export function checkDate(read: string, today: Date): Checked {
  const match = /(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/.exec(halfWidth(read)) ?? /(\d{4})(\d{2})(\d{2})/.exec(halfWidth(read))
  if (!match) return { value: read.trim(), problem: '日期应为 年-月-日' }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const at = new Date(Date.UTC(year, month - 1, day))
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return { value, problem: '日期不存在' }
  if (year < 1950 || at.getTime() > today.getTime()) return { value, problem: '日期不在合理范围内' }
  return { value, problem: null }
}

// ---- Codes: the printed name mapped to its B7 table (B7.7 vehicle type, B7.8 use, B7.6 emission stage, B7.12 fuel).

/** The code whose name the text is, or else the code whose name is the longest one inside the text. */
export function codeOf(table: DictionaryKey, read: string): string | null {
  const text = read.replace(/\s/g, '')
  if (!text) return null
  let best: { code: string; length: number } | null = null
  for (const { code } of dictionaries[table].entries) {
    const name = (labelOf(table, code) ?? '').replace(/\s/g, '')
    if (!name) continue
    if (name === text) return code
    if (text.includes(name) && (!best || name.length > best.length)) best = { code, length: name.length }
  }
  return best?.code ?? null
}

const TABLE_TITLES: Partial<Record<DictionaryKey, string>> = { vehicleType: '车辆类型（B7.7）', useCharacter: '使用性质（B7.8）', fuelType: '燃料类型（B7.12）' }

export function checkCode(table: DictionaryKey, read: string): Checked {
  const code = codeOf(table, read)
  return code ? { value: code, problem: null } : { value: '', problem: `“${read.trim()}”不在${TABLE_TITLES[table] ?? '代码表'}中，请选择` }
}

const STAGE_NUMERALS: [RegExp, string][] = [
  [/^(0|〇|零)/, '0'],
  [/^(VII|Ⅶ|七|7)/, '7'],
  [/^(VI|Ⅵ|六|6)/, '6'],
  [/^(IV|Ⅳ|四|4)/, '4'],
  [/^(V|Ⅴ|五|5)/, '5'],
  [/^(III|Ⅲ|三|3)/, '3'],
  [/^(II|Ⅱ|二|2)/, '2'],
  [/^(I|Ⅰ|一|1)/, '1']
]

/** B7.6 from how a 随车清单 prints the stage: 国六, 国Ⅵ, 国VI, GB 17691-2018 国六 …; 电动 and 无 as their codes. */
export function checkEmissionStage(read: string): Checked {
  const text = halfWidth(read).toUpperCase().replace(/\s/g, '')
  if (/电动|纯电/.test(text)) return { value: 'D', problem: null }
  const after = /国(.*)$/.exec(text)?.[1]
  const numeral = after !== undefined ? STAGE_NUMERALS.find(([pattern]) => pattern.test(after)) : undefined
  if (numeral) return { value: numeral[1], problem: null }
  return { value: '', problem: `“${read.trim()}”不是排放阶段（B7.6），请选择` }
}

/** Free text (owner, address, model, engine number): only that something was read. */
export function checkText(read: string, max: number): Checked {
  const value = read.trim()
  if (!value) return { value, problem: '未识别到内容' }
  if (value.length > max) return { value: value.slice(0, max), problem: `超过 ${max} 个字符，已截断` }
  return { value, problem: null }
}

/**
 * 品牌型号 as a licence prints it: the brand in Chinese (解放牌, 重汽豪沃牌) then the type code in letters, digits and
 * dashes (CA4250P66K24T1A1E5). Anything else — a Chinese character inside or after the code — is a misreading to check.
 */
export function checkModel(read: string): Checked {
  const value = halfWidth(read).replace(/\s/g, '').toUpperCase()
  if (!value) return { value, problem: '未识别到内容' }
  if (value.length > 100) return { value: value.slice(0, 100), problem: '超过 100 个字符，已截断' }
  if (!/^[\u4e00-\u9fff]+[A-Z0-9][A-Z0-9\-/]*$/.test(value)) return { value, problem: '品牌型号应为品牌加型号代码（如 解放牌CA4250），请核对' }
  return { value, problem: null }
}

/** An engine number: letters and digits only, as printed (spaces and punctuation dropped). */
export function checkEngineNo(read: string): Checked {
  const value = halfWidth(read).toUpperCase().replace(/[^A-Z0-9]/g, '')
  if (value.length < 4) return { value, problem: '发动机号码过短，请核对' }
  if (value.length > 32) return { value: value.slice(0, 32), problem: '发动机号码超过 32 位，请核对' }
  return { value, problem: null }
}

function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
}
