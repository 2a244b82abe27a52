export { LaneService, UnknownLaneError, type LaneServiceOptions, type PlateRead, type PlateReadResult, type VehicleVerifier } from './lane-service'
