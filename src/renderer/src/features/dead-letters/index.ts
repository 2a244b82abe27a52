import type { Feature } from '../feature'
import { DeadLettersScreen } from './DeadLettersScreen'

/** 上传失败: uploads the platform refused, fixed and re-sent by an admin; its count on the tab. */
export const deadLetters: Feature = {
  id: 'deadLetters',
  title: (t) => t.adminSettings.deadLettersTitle,
  role: 'admin',
  workspace: 'admin',
  badge: (state) => state.sync?.dead ?? 0,
  Screen: DeadLettersScreen
}
