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
