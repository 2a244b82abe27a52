import type { Decision, Direction } from '@shared/contract'

export const DECISION_LABEL: Record<Decision, string> = { allow: '放行', refuse: '禁止通行', guard: '待人工确认' }
export const DIRECTION_LABEL: Record<Direction, string> = { in: '入口', out: '出口' }

// China has one time zone and no daylight saving: Beijing time is UTC+8 whatever the PC's own zone, and it is the
// time the lsh and tgsjq carry, so the board shows the same.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000

function beijing(instant: number): { date: string; time: string } {
  const shifted = new Date(instant + BEIJING_OFFSET_MS).toISOString()
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 19) }
}

/** Today's date (yyyy-MM-dd) in Beijing, the day the statistics and the records count by (ERRATA E25). */
export function beijingDate(now = Date.now()): string {
  return beijing(now).date
}

/** HH:mm:ss, Beijing time. */
export function formatClock(iso: string): string {
  const instant = Date.parse(iso)
  return Number.isNaN(instant) ? iso : beijing(instant).time
}

/** HH:mm:ss today, MM-dd HH:mm:ss on an earlier day. */
export function formatRecent(iso: string, now = Date.now()): string {
  const instant = Date.parse(iso)
  if (Number.isNaN(instant)) return iso
  const { date, time } = beijing(instant)
  return date === beijing(now).date ? time : `${date.slice(5)} ${time}`
}

/** yyyy-MM-dd HH:mm, Beijing time: an instant that may be months away (a list entry's expiry). */
export function formatDateTime(iso: string): string {
  const instant = Date.parse(iso)
  if (Number.isNaN(instant)) return iso
  const { date, time } = beijing(instant)
  return `${date} ${time.slice(0, 5)}`
}
