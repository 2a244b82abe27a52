/**
 * Which plates count as local (本地) for the 外地 counts of spec 4.2.12. The spec does not define 外地; we read it
 * as "registered outside the enterprise's city": a plate is local when it starts with one of the city's plate
 * prefixes (province character + city letter, e.g. 豫K for 许昌).
 */

/** Henan's plate letters by the first four digits of the GB/T 2260 code of the city (豫 A 郑州 4101 …). */
const HENAN_CITY_PREFIXES: Record<string, string[]> = {
  '4101': ['豫A'],
  '4102': ['豫B'],
  '4103': ['豫C'],
  '4104': ['豫D'],
  '4105': ['豫E'],
  '4106': ['豫F'],
  '4107': ['豫G'],
  '4108': ['豫H'],
  '4109': ['豫J'],
  '4110': ['豫K'],
  '4111': ['豫L'],
  '4112': ['豫M'],
  '4113': ['豫R'],
  '4114': ['豫N'],
  '4115': ['豫S'],
  '4116': ['豫P'],
  '4117': ['豫Q'],
  '4190': ['豫U']
}

/**
 * The configured prefixes win. Without them, the city is guessed from the enterprise code's first four digits
 * (the 辖区代码 of spec 6.2); ERRATA E13 treats that code as opaque, so configure the prefixes where the guess is
 * wrong. An empty list means nothing is known: no plate then counts as 外地.
 */
export function resolveLocalPlatePrefixes(enterpriseCode: string, configured: readonly string[] | undefined): string[] {
  if (configured && configured.length > 0) return [...configured]
  return HENAN_CITY_PREFIXES[enterpriseCode.slice(0, 4)] ?? []
}
