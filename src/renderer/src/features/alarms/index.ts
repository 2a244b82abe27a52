import type { Feature } from '../feature'
import { AlarmsPanel } from './AlarmsPanel'

/** 告警: open alarms, their count on the tab; F9 shows them. */
export const alarms: Feature = {
  id: 'alarms',
  title: (t) => t.alarms.title,
  role: 'guard',
  shortcut: 'F9',
  // Alarms still to acknowledge; an acknowledged one whose device is still off stays listed but is not counted.
  badge: (state) => state.alarms.filter((alarm) => alarm.acknowledgedAt === null).length,
  Screen: AlarmsPanel
}
