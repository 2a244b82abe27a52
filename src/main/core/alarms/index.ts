export { AlarmService } from './service'
