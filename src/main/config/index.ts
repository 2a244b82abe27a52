export { configSchema, type GateConfig, type LaneConfig } from './schema'
export { ConfigError, loadConfigFile, parseConfig } from './load'
export { demoConfig, DEMO_PLATFORM } from './demo'
