export { type BarrierConfig, type DisplayConfig, type GateConfig, type LaneConfig, type ScaleConfig } from './schema'
export { ConfigError, loadConfigFile, parseConfig } from './load'
export { demoConfig, DEMO_LANE_IDS, DEMO_PLATFORM, type DemoLaneDevices } from './demo'
