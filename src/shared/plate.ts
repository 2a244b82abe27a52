import { isCode } from './spec'

/**
 * Chinese licence plates as the platform wants them (ERRATA E20): upper case, half-width, no spaces, dots or
 * dashes, e.g. "豫A12345" (7 characters, or 8 for new-energy plates).
 */

export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'

/** GB/T 2260 province codes (the first two digits of an enterprise or city code) and their plate character. */
const PROVINCE_OF_REGION: Readonly<Record<string, string>> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏',
  '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂',
  '46': '琼', '50': '渝', '51': '川', '52': '贵', '53': '云', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新'
}

/** The plant's own province for plates typed without one: from its enterprise code (4110020001 → 豫). */
export function provinceOfRegionCode(code: string): string | null {
  return PROVINCE_OF_REGION[code.slice(0, 2)] ?? null
}
/** Plates never use I or O, which read as 1 and 0. */
const LETTER = 'A-HJ-NP-Z'
/** Ordinary and new-energy civil plates, with the trailer/coach/police/HK/Macao suffixes. */
const PLATE_PATTERN = new RegExp(`^[${PROVINCES}][${LETTER}][${LETTER}0-9]{4,6}[${LETTER}0-9挂学警港澳领试超]?$`)
export const PLATE_MAX_LENGTH = 8

const SEPARATORS = /[\s.·•\-_—]/g

/** Full-width ASCII (Ａ-Ｚ, ０-９, …) to half-width, upper case, separators removed. Does not validate. */
export function normalizePlate(raw: string): string {
  const halfWidth = raw.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
  return halfWidth.replace(/\u3000/g, '').replace(SEPARATORS, '').toUpperCase()
}

/** Why a normalised plate is not acceptable, in Chinese for the guard; null when it is fine. */
export function plateProblem(plate: string): string | null {
  if (plate.length === 0) return '车牌号不能为空'
  if (plate.length > PLATE_MAX_LENGTH) return `车牌号过长（${plate.length} 个字符，最多 ${PLATE_MAX_LENGTH} 个）`
  if (!PLATE_PATTERN.test(plate)) return `车牌号格式不正确：${plate}`
  return null
}

/** B7.1 plate colours: 0 蓝 1 黄 2 白 3 黑 4 新能源 5 其他. */
export function isPlateColourCode(code: string): boolean {
  return isCode('licenseColor', code)
}

/**
 * B7.1 colour against the plate's length (GA 36): blue, yellow, white and black plates have 7 characters, new-energy
 * (green) plates 8; 其他 may be either. Null when they agree, else the reason in Chinese (e.g. 豫A1234 is no plate).
 */
export function plateColourProblem(plate: string, colour: string): string | null {
  const length = [...plate].length
  if (colour === '4') return length === 8 ? null : `新能源车牌应为 8 位（${plate} 为 ${length} 位）`
  if (['0', '1', '2', '3'].includes(colour)) return length === 7 ? null : `该颜色车牌应为 7 位（${plate} 为 ${length} 位）${length === 8 ? '，8 位车牌请选新能源' : ''}`
  return length === 7 || length === 8 ? null : `车牌应为 7 或 8 位（${plate} 为 ${length} 位）`
}
