import type { Feature } from '../feature'
import { PassageJournal } from './PassageJournal'

/** 过车记录: today's passages; F8 shows it with the cursor in the plate filter. */
export const journal: Feature = {
  id: 'journal',
  title: (t) => t.journal.title,
  role: 'guard',
  shortcut: 'F8',
  focus: 'journal-filter',
  Screen: PassageJournal
}
