/**
 * The board's screens below the lanes, in tab order: one entry per feature folder (docs/ui.md, "Adding a screen").
 * The tabs, their keys and which user sees which all come from here.
 */
import { alarmHistory } from './alarm-history'
import { alarms } from './alarms'
import { audit } from './audit'
import { deadLetters } from './dead-letters'
import type { Feature } from './feature'
import { journal } from './journal'
import { ledgers } from './ledgers'
import { booths, plantJournal, plantStatistics, presence, users, visits } from './plant'
import { reports } from './reports'
import { settings } from './settings'

export const features: readonly Feature[] = [journal, alarms, audit, reports, ledgers, deadLetters, alarmHistory, settings]

/** The plant's workspace (no lane board there): the enterprise's views, then what the booth's admin workspace has. */
export const plantFeatures: readonly Feature[] = [plantJournal, visits, presence, alarms, plantStatistics, ledgers, audit, deadLetters, booths, users, settings]

export { screensOn, visibleTo, type Feature, type FeatureId, type ScreenProps } from './feature'
