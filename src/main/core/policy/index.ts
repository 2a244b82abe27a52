export { decide, type DecisionInput, type DecisionOutcome, type LedgerFacts, type VerdictSource } from './decide'
export type { PolicyActor, PolicyRepo } from './repo'
export { applyLaneRules, listExpiry, measuresInForce, type LaneRuleFacts } from './admin-rules'
