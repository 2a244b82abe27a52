/** The board's keys, shown on the buttons they press. F1–F4 act on the active lane; Alt+1…4 choose it. */
export const SHORTCUTS = {
  release: 'F1',
  refuse: 'F2',
  correct: 'F3',
  recapture: 'F4',
  plateEntry: 'F6',
  journal: 'F8',
  alarms: 'F9'
} as const

export type LaneAction = 'release' | 'refuse' | 'correct' | 'recapture'

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

export function focusLaneTile(laneId: string): void {
  document.querySelector<HTMLElement>(`[data-testid="lane-tile"][data-lane-id="${CSS.escape(laneId)}"]`)?.focus()
}
