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
  Scale,
  WeightReading
} from './types'
export { createBarrier, createDisplay, createScale, DeviceRegistry, healthView, type LaneDevices } from './registry'
export { ExchangeError } from './serial/exchange'
export { DisplayTextError } from './display-led-0x64/protocol-0x64'
