export { LaneDriver, UnknownLaneError, type PlateRead, type PlateReadResult } from './driver'
export { gateSignalOf, initialLaneState, laneStateView, step, type LaneCommand, type LaneEvent, type LaneMachineState, type TruckDecision } from './machine'
export type { VehicleVerifier } from './verify'
export type { ReadPhoto } from './recorder'
