export { AlarmService, type AlarmServiceOptions, type DeviceHealthChange, type DeviceHealthSource } from './service'
export type { AlarmStore, InsideEntry, NewAlarm } from './store'
