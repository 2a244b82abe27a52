import type { Feature } from './features/feature'
import type { LaneAction } from './state/lanes'
import type { FocusTarget } from './state/store'

/** The board's keys, shown on the buttons whose action they take. F1–F4 act on the active lane; Alt+1…9 choose it. */
export const SHORTCUTS = {
  release: 'F1',
  refuse: 'F2',
  correct: 'F3',
  recapture: 'F4',
  plateEntry: 'F6'
} as const

export const LANE_ACTION_KEYS: Readonly<Record<string, LaneAction>> = {
  [SHORTCUTS.release]: 'release',
  [SHORTCUTS.refuse]: 'refuse',
  [SHORTCUTS.correct]: 'correct',
  [SHORTCUTS.recapture]: 'recapture'
}

/** The lane index chosen by Alt+1…Alt+9, or null. */
export function laneIndexOfKey(event: Pick<KeyboardEvent, 'altKey' | 'code'>): number | null {
  const match = /^Digit([1-9])$/.exec(event.code)
  return event.altKey && match ? Number(match[1]) - 1 : null
}

/** What a key on the board asks for; the board runs it through the store and the session, as a click would. */
export type BoardKeyCommand =
  | { kind: 'choose-lane'; index: number }
  | { kind: 'lane-action'; action: LaneAction }
  | { kind: 'focus'; target: FocusTarget }
  | { kind: 'show'; feature: Pick<Feature, 'id' | 'focus'> }
  /** Tab: the next truck waiting for the guard takes the keys (when more than one waits). */
  | { kind: 'next-waiting' }

/** The board's key map: lane keys, F6 for the plate entry, and the shortcut of each screen the user may see. */
export function boardKeyCommand(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'code'>, features: readonly Pick<Feature, 'id' | 'shortcut' | 'focus'>[]): BoardKeyCommand | null {
  const index = laneIndexOfKey(event)
  if (index !== null) return { kind: 'choose-lane', index }
  const action = LANE_ACTION_KEYS[event.key]
  if (action) return { kind: 'lane-action', action }
  if (event.key === SHORTCUTS.plateEntry) return { kind: 'focus', target: 'plate-entry' }
  if (event.key === 'Tab' && !event.altKey) return { kind: 'next-waiting' }
  const feature = features.find((candidate) => candidate.shortcut === event.key)
  return feature ? { kind: 'show', feature } : null
}

/** Where Tab keeps its usual meaning: typing in a field or choosing in a list. */
export function isFormField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
}

export function focusLaneTile(laneId: string): void {
  document.querySelector<HTMLElement>(`[data-testid="lane-tile"][data-lane-id="${CSS.escape(laneId)}"]`)?.focus()
}
