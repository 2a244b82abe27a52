import type { Feature } from '../feature'
import { AlarmsPanel } from './AlarmsPanel'

/** 告警: open alarms, their count on the tab; F9 shows them. */
export const alarms: Feature = {
  id: 'alarms',
  title: (t) => t.alarms.title,
  role: 'guard',
  shortcut: 'F9',
  badge: (state) => state.alarms.length,
  Screen: AlarmsPanel
}
