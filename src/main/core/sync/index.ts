export { LATE_ANSWER_FACTOR, SyncWorker, type SyncPlatform, type SyncWorkerOptions, type UploadCall } from './worker'
export { backoffDelayMs } from './backoff'
export { fieldsFromReason, unknownFields, type Validate } from './dead-letter'
export {
  PHOTO_KIND,
  type Claim,
  type Commit,
  type DeadLetter,
  type FieldProblem,
  type InFlightAtCrash,
  type NewOutboxItem,
  type OutboxCounts,
  type OutboxItem,
  type OutboxKind,
  type OutboxLane,
  type OutboxQueue,
  type Outcome,
  type PhotoForUpload,
  type SweepResult,
  type UploadPhotos
} from './queue'
