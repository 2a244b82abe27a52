import type { ControlMeasures } from '@shared/contract'
import { emissionStageLabel, fuelTypeLabel, labelOf } from '@shared/spec'

/**
 * What the B7.20 strategies ban, read per ERRATA E65 ("ban 国三-and-below heavy diesel (and gas) vehicles"):
 * the highest banned emission stage for diesel and for gas vehicles. Strategy 7 stops all transport.
 * The getCheckVehicle answer carries no vehicle type, so every truck at the gate is taken as heavy.
 */
export const STRATEGY_LIMITS: Record<'1' | '2' | '3' | '4' | '5' | '6', { diesel: number; gas: number; halved: boolean }> = {
  '1': { diesel: 3, gas: 3, halved: false },
  '2': { diesel: 4, gas: 4, halved: false },
  '3': { diesel: 4, gas: 5, halved: false },
  '4': { diesel: 3, gas: 3, halved: true },
  '5': { diesel: 4, gas: 4, halved: true },
  '6': { diesel: 4, gas: 5, halved: true }
}

/** B7.12 fuel codes by what the strategies care about: diesel (B), gas (E 天然气, F 液化石油气), or neither. */
const DIESEL = new Set(['B'])
const GAS = new Set(['E', 'F'])
const NEITHER = new Set(['A', 'C', 'D', 'L', 'M', 'N', 'O', 'P', 'Q', 'Y'])

export type FuelClass = 'diesel' | 'gas' | 'other' | 'unknown'

export function fuelClass(fuelType: string): FuelClass {
  if (DIESEL.has(fuelType)) return 'diesel'
  if (GAS.has(fuelType)) return 'gas'
  if (NEITHER.has(fuelType)) return 'other'
  return 'unknown'
}

/** B7.22 measures that stop vehicle transport (5, 6, 7) and B7.21 type 8 长期停产. */
export function stopsTransport(measures: ControlMeasures): boolean {
  return measures.strategy === '7' || measures.measures === '5' || measures.measures === '6' || measures.measures === '7' || measures.enterpriseType === '8'
}

export type BanResult = { kind: 'clear'; halved: boolean } | { kind: 'banned'; why: string } | { kind: 'unknown'; why: string }

/**
 * Whether strategies 1–6 ban a vehicle of this emission stage (B7.6) and fuel (B7.12). Control area 2
 * (柴油货车禁行区) bans diesel trucks only. Electric (stage D) is never banned; a stage or fuel the ban depends on but
 * that is missing or unknown is `unknown`: the guard decides.
 */
export function emissionBan(measures: ControlMeasures, emissionStandard: string, fuelType: string): BanResult {
  const strategy = measures.strategy
  if (strategy === null || strategy === '7') return { kind: 'clear', halved: false }
  const limits = STRATEGY_LIMITS[strategy]
  // B7.21 type 7 民生保障: the 50 % cut in transport does not apply to livelihood-supply enterprises.
  const halved = limits.halved && measures.enterpriseType !== '7'
  const gasLimit = measures.area === '2' ? -1 : limits.gas
  const fuel = fuelClass(fuelType)
  const gasExempt = fuel === 'gas' && measures.area === '2'
  if (emissionStandard === 'D' || fuel === 'other' || gasExempt) return { kind: 'clear', halved }
  const stage = /^[0-7]$/.test(emissionStandard) ? Number(emissionStandard) : null
  const vehicle = `${emissionStandard ? emissionStageLabel(emissionStandard) : '排放阶段不明'}${fuelType ? fuelTypeLabel(fuelType) : '燃料不明'}车`
  const strategyText = `管控策略：${labelOf('controlStrategy', strategy) ?? strategy}`
  if (stage === null) return { kind: 'unknown', why: `${vehicle}，无法判断是否符合${strategyText}` }
  const limit = fuel === 'diesel' ? limits.diesel : fuel === 'gas' ? gasLimit : Math.max(limits.diesel, gasLimit)
  if (stage > limit) return { kind: 'clear', halved }
  if (fuel === 'unknown') return { kind: 'unknown', why: `${vehicle}，无法判断是否符合${strategyText}` }
  return { kind: 'banned', why: `${vehicle}，${strategyText}` }
}

/** "红色管控" etc. for the guard's text; empty when no level is set. */
export function levelText(measures: ControlMeasures): string {
  return measures.level ? `${labelOf('controlLevel', measures.level) ?? measures.level}管控` : ''
}
