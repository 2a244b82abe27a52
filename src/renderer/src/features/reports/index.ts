import { lazy } from 'react'
import type { Feature } from '../feature'

/** 统计报表: antd and echarts, several MB, in their own chunk that loads when the tab is first opened. */
export const reports: Feature = {
  id: 'reports',
  title: (t) => t.reports.title,
  role: 'guard',
  workspace: 'admin',
  Screen: lazy(() => import('./ReportsPanel').then(({ ReportsPanel }) => ({ default: ReportsPanel })))
}
