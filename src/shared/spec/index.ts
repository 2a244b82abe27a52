/** Spec knowledge shared by main, renderer and simulators: code tables, serial numbers (A6.4), date formats. */
import { dictionaries, type DictionaryKey } from './tables.generated'

export { B7_14_DELETED_CODES, dictionaries, inlineEnumerations, type DictionaryKey } from './tables.generated'

type Direction = 'in' | 'out'

function entriesOf(key: DictionaryKey): readonly { code: string; name: string }[] {
  return dictionaries[key].entries
}

export function isCode(key: DictionaryKey, code: string): boolean {
  return entriesOf(key).some((entry) => entry.code === code)
}

/** Display label; ERRATA E67: the spaces between CJK and Latin/digits ('国 0', 'A 级') are PDF artefacts. */
export function labelOf(key: DictionaryKey, code: string): string | undefined {
  const name = entriesOf(key).find((entry) => entry.code === code)?.name
  return name?.replace(/(?<=[\u4e00-\u9fff]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[\u4e00-\u9fff])/g, '')
}

/** ERRATA E22: unknown values are shown raw. */
export const plateColourLabel = (code: string): string => labelOf('licenseColor', code) ?? code
export const emissionStageLabel = (code: string): string => labelOf('emissionStage', code) ?? code
export const fuelTypeLabel = (code: string): string => labelOf('fuelType', code) ?? code

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/** The Beijing wall-clock parts of an instant (UTC+8, no daylight saving), whatever the machine's zone. */
function beijingParts(at: Date) {
  const shifted = new Date(at.getTime() + BEIJING_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    yyyy: String(shifted.getUTCFullYear()),
    MM: pad(shifted.getUTCMonth() + 1),
    dd: pad(shifted.getUTCDate()),
    HH: pad(shifted.getUTCHours()),
    mm: pad(shifted.getUTCMinutes()),
    ss: pad(shifted.getUTCSeconds())
  }
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time, the 4.1 date-time format. */
export function formatSpecDateTime(at: Date): string {
  const p = beijingParts(at)
  return `${p.yyyy}-${p.MM}-${p.dd} ${p.HH}:${p.mm}:${p.ss}`
}

/** 'yyyy-MM-dd' in Beijing time (ERRATA E25 for date-only fields). */
export function formatSpecDate(at: Date): string {
  const p = beijingParts(at)
  return `${p.yyyy}-${p.MM}-${p.dd}`
}

function beijingDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | null {
  const utc = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(utc)
  const real =
    check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
  return real ? new Date(utc - BEIJING_OFFSET_MS) : null
}

/** Accepts 'yyyy-MM-dd HH:mm:ss', 'yyyyMMddHHmmss' and 'yyyy-MM-dd' (ERRATA E25), trimmed (E06), as Beijing time. */
export function parseSpecDateTime(text: string): Date | null {
  const s = text.trim()
  const match =
    /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s) ?? /^(\d{4})-(\d{2})-(\d{2})()()()$/.exec(s)
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part || 0)) as [number, number, number, number, number, number]
  return beijingDate(year, month, day, hour, minute, second)
}

/** A6.4: enterprise code (10) + gate code (2) + A (进门) / B (出门) + yyMMddHHmmss = 25 characters. */
export const LSH_PATTERN = /^\d{10}\d{2}[AB]\d{12}$/

/**
 * The passage serial number (A6.4, ERRATA E16/E17): the moment is the plate read, in Beijing time; a caller that
 * finds the serial taken bumps `at` by a second rather than lengthening the string.
 */
export function makeLsh(parts: { enterpriseCode: string; gateCode: string; direction: Direction; at: Date }): string {
  if (!/^\d{10}$/.test(parts.enterpriseCode)) throw new Error(`lsh: enterprise code must be 10 digits, got "${parts.enterpriseCode}"`)
  if (!/^(?!00)\d{2}$/.test(parts.gateCode)) throw new Error(`lsh: gate code must be two digits 01–99, got "${parts.gateCode}"`)
  const p = beijingParts(parts.at)
  return `${parts.enterpriseCode}${parts.gateCode}${parts.direction === 'in' ? 'A' : 'B'}${p.yyyy.slice(2)}${p.MM}${p.dd}${p.HH}${p.mm}${p.ss}`
}

export function parseLsh(lsh: string): { enterpriseCode: string; gateCode: string; direction: Direction; at: Date } | null {
  if (!LSH_PATTERN.test(lsh)) return null
  const digits = lsh.slice(13)
  const at = parseSpecDateTime(`20${digits}`)
  if (!at) return null
  return { enterpriseCode: lsh.slice(0, 10), gateCode: lsh.slice(10, 12), direction: lsh[12] === 'A' ? 'in' : 'out', at }
}

/** ERRATA E17: tgzt 1 进门 / 2 出门. */
export function tgztOf(direction: Direction): '1' | '2' {
  return direction === 'in' ? '1' : '2'
}

/** ERRATA E17 / B7.3: zplx 1 进厂, 2 出厂, 3 闯岗. */
export function zplxOf(direction: Direction, forced: boolean): '1' | '2' | '3' {
  if (forced) return '3'
  return direction === 'in' ? '1' : '2'
}
