export { ledgersArea } from './area'
export { LedgerService, type LedgerServiceOptions } from './service'
