export { decide, type DecisionInput, type DecisionOutcome, type LedgerFacts, type VerdictSource } from './decide'
export { emissionBan, fuelClass, levelText, STRATEGY_LIMITS, stopsTransport, type BanResult, type FuelClass } from './measures'
