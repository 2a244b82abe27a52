export { AlarmService, type AlarmServiceOptions, type DeviceHealthSource } from './service'
