import { lazy } from 'react'
import type { Feature } from '../feature'

/** 告警历史 (admins): every alarm, filtered by type, lane, date range and state. */
export const alarmHistory: Feature = {
  id: 'alarmHistory',
  title: (t) => t.adminSettings.alarmHistoryTitle,
  role: 'admin',
  workspace: 'admin',
  Screen: lazy(() => import('./AlarmHistoryPanel'))
}
