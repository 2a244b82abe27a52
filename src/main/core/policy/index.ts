export { decide, type DecisionInput, type DecisionOutcome, type VerdictSource } from './decide'
