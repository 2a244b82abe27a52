import { lazy } from 'react'
import type { Feature } from '../feature'

/**
 * The plant's own screens (docs/plant.md): the enterprise's views across gates and the plant's administration. Shown
 * only in the plant's workspace (features/index.ts `plantFeatures`), each in its own chunk.
 */
export const plantJournal: Feature = { id: 'plantJournal', title: (t) => t.plant.journalTitle, role: 'guard', Screen: lazy(() => import('./JournalScreen')) }
export const visits: Feature = { id: 'visits', title: (t) => t.plant.visitsTitle, role: 'guard', Screen: lazy(() => import('./VisitsScreen')) }
export const presence: Feature = { id: 'presence', title: (t) => t.plant.presenceTitle, role: 'guard', Screen: lazy(() => import('./PresenceScreen')) }
export const plantStatistics: Feature = { id: 'plantStatistics', title: (t) => t.plant.statsTitle, role: 'guard', Screen: lazy(() => import('./StatisticsScreen')) }
export const booths: Feature = { id: 'booths', title: (t) => t.plant.boothsTitle, role: 'admin', Screen: lazy(() => import('./BoothsScreen')) }
export const users: Feature = { id: 'users', title: (t) => t.plant.usersTitle, role: 'admin', Screen: lazy(() => import('./UsersScreen')) }
