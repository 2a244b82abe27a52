export { PlatformClient, PlatformUnavailableError, type PlatformClientOptions } from './client'
export { classifyReply, type CallOutcome } from './replies'
export { drivingRecordValue, photoRecordValue, type Enterprise } from './records'
