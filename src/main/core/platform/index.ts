export {
  CLOCK_SKEW_LIMIT_MS,
  PlatformClient,
  PlatformUnavailableError,
  TOKEN_REFRESH_AFTER_MS,
  type PlatformClientOptions,
  type PlatformClock,
  type PlatformStatus
} from './client'
export { FIELD_RULES, isPlatformIpctype, preflightProblems, type FieldRule, type PreflightProblem } from './preflight'
export { classifyReply, RETURN_CODE_ACTIONS, type CallOutcome, type ReplyStyle } from './replies'
export {
  drivingRecordValue,
  goodsRecordValue,
  innerVehicleValue,
  MACHINE_FIELDS,
  machineValue,
  photoRecordValue,
  VEHICLE_FIELDS,
  vehicleRegistrationValue,
  yslOf,
  type Enterprise,
  type FilingEnterprise,
  type MachineFields,
  type VehicleFields,
  type VehicleImages
} from './records'
export { DEFAULT_WIRE, gateSignalOf, type WireOptions } from './wire'
export { platformInterfaces, type PlatformIpctype } from './spec-fields.generated'
