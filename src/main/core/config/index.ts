export { configSchema, type GateConfig, type LaneConfig } from './schema'
export { ConfigError, loadConfigFile, parseConfig } from './load'
export { demoConfig, DEMO_LANE_IDS, DEMO_PLATFORM, type DemoLaneDevices } from './demo'
