export type {
  ArmPosition,
  Barrier,
  BarrierSignals,
  Camera,
  CameraPlateRead,
  Device,
  DeviceHealth,
  DeviceKind,
  DeviceStatus,
  Display,
  DisplayColour,
  DisplayLine,
  LaneDeviceRole,
  LaneDevices,
  Scale,
  WeightReading
} from './types'
export { createDevice, DeviceRegistry, healthView } from './registry'
export { deviceKinds, demoKindOf, kindsOf, LANE_DEVICE_ROLES } from './kinds'
export type { CommissionAction, DeviceKindEntry } from './kind'
export { ExchangeError } from './serial/exchange'
export { DisplayTextError } from './display-led-0x64/protocol-0x64'
export { HealthTracker } from './health'
