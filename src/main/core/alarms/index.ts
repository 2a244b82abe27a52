export { AlarmService, type AlarmServiceOptions, type DeviceHealthSource } from './service'
export type { AlarmStore, InsideEntry, NewAlarm } from './store'
