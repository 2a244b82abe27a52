import { lazy } from 'react'
import type { Feature } from '../feature'

/** 系统设置 (admins only): control measures, white/black lists, per-lane settings; antd in its own chunk. */
export const settings: Feature = {
  id: 'settings',
  title: (t) => t.adminSettings.title,
  role: 'admin',
  workspace: 'admin',
  Screen: lazy(() => import('./SettingsPanel'))
}
