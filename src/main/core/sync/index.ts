export { SyncWorker } from './worker'
export { backoffDelayMs } from './backoff'
export { fieldsFromReason, unknownFields, type Validate } from './dead-letter'
export { type SweepResult } from './sweep'
