export { LaneActionError, LaneDriver, UnknownLaneError, type LaneDevices, type LaneDriverOptions, type PlateRead, type PlateReadResult } from './driver'
export { gateSignalOf, initialLaneState, laneStateView, step, type LaneCommand, type LaneEvent, type LaneMachineState, type LaneTiming, type PassOutcome, type TruckDecision, type TruckRead } from './machine'
export type { VehicleVerifier } from './verify'
export type { ReadPhoto } from './recorder'
