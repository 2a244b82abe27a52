export {
  PlatformClient,
  PlatformUnavailableError,
  LINK_TEXT,
  type UnavailableCause,
  TOKEN_REFRESH_AFTER_MS,
  type PlatformClientOptions,
  type PhotoUpload,
  type PlatformClock
} from './client'
export { FIELD_RULES, preflightProblems, type FieldRule, type PreflightProblem } from './preflight'
export { classifyReply, RETURN_CODE_ACTIONS, type CallOutcome } from './replies'
export {
  drivingRecordValue,
  goodsRecordValue,
  innerVehicleValue,
  machineValue,
  MACHINE_FIELDS,
  photoRecordValue,
  vehicleRegistrationValue,
  VEHICLE_FIELDS,
  yslOf,
  type Enterprise,
  type FilingEnterprise,
  type MachineFields,
  type VehicleFields
} from './records'
export { DEFAULT_WIRE, gateSignalOf, type WireOptions } from './wire'
export { platformInterfaces, type PlatformIpctype } from './spec-fields.generated'
