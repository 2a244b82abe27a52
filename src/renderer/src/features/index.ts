/**
 * The board's screens below the lanes, in tab order: one entry per feature folder (docs/ui.md, "Adding a screen").
 * The tabs, their keys and which user sees which all come from here.
 */
import { alarms } from './alarms'
import { audit } from './audit'
import type { Feature } from './feature'
import { journal } from './journal'
import { ledgers } from './ledgers'
import { reports } from './reports'

export const features: readonly Feature[] = [journal, alarms, audit, reports, ledgers]

export { visibleTo, type Feature, type FeatureId, type ScreenProps } from './feature'
