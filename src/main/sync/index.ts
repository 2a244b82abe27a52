export { SyncWorker, type SyncPlatform, type SyncWorkerOptions } from './worker'
export { backoffDelayMs } from './backoff'
