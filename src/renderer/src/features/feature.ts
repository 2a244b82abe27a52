import type { ComponentType } from 'react'
import type { Lane, Role } from '@shared/contract'
import type { Messages } from '../i18n'
import type { FocusTarget, GateState } from '../state/store'

export type FeatureId =
  | 'journal'
  | 'alarms'
  | 'audit'
  | 'reports'
  | 'ledgers'
  | 'deadLetters'
  | 'alarmHistory'
  | 'settings'
  | 'plantJournal'
  | 'visits'
  | 'presence'
  | 'plantStatistics'
  | 'booths'
  | 'users'

export interface ScreenProps {
  lanes: Lane[]
}

/**
 * One screen of the board below the lanes: a tab (`data-testid="tab-<id>"`), its title, who sees it, its key and its
 * component. A screen that brings heavy libraries is a `lazy()` component, so its chunk loads when it is first
 * shown, not before the board paints.
 */
export interface Feature {
  id: FeatureId
  title(t: Messages): string
  /** The lowest role that sees the tab: `guard` for everyone logged in, `admin` for admins only. */
  role: Role
  /** The key that shows the screen (kept out of typing fields by being a function key). */
  shortcut?: string
  /** Where that key puts the cursor once the screen shows. */
  focus?: FocusTarget
  /** A count on the tab, e.g. open alarms. */
  badge?(state: GateState): number
  /** `admin`: for an admin the screen lives in the admin workspace (#/admin), not under the lanes. */
  workspace?: 'admin'
  Screen: ComponentType<ScreenProps>
}

/** Whether a user of `role` sees the feature (admins see every screen). */
export function visibleTo(feature: Pick<Feature, 'role'>, role: Role | undefined): boolean {
  return role === 'admin' || (role === 'guard' && feature.role === 'guard')
}

/** Which screens a user of `role` has on `page`: a guard has only the board; an admin's workspace screens leave it. */
export function screensOn(all: readonly Feature[], page: 'board' | 'admin', role: Role | undefined): Feature[] {
  const visible = all.filter((feature) => visibleTo(feature, role))
  if (role !== 'admin') return page === 'board' ? visible : []
  return visible.filter((feature) => (feature.workspace === 'admin') === (page === 'admin'))
}
