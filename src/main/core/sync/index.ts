export { SyncWorker, type SyncPlatform, type SyncWorkerOptions } from './worker'
export { backoffDelayMs } from './backoff'
export { fieldsFromReason, unknownFields, type Validate } from './dead-letter'
export { sweepPhotoStore, type SweepResult } from './sweep'
