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
import { reports } from './reports'
import { settings } from './settings'

export const features: readonly Feature[] = [journal, alarms, audit, reports, ledgers, deadLetters, alarmHistory, settings]

export { screensOn, visibleTo, type Feature, type FeatureId, type ScreenProps } from './feature'
