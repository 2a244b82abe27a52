export { decide, type DecisionOutcome, type VerdictSource } from './decide'
