import type { Alarm, AlarmKind } from '@shared/contract'
import { beijingDate } from '../../format'

export interface Filters {
  kind: AlarmKind | ''
  laneId: string
  /** Beijing days, yyyy-MM-dd, inclusive; '' for open-ended. */
  from: string
  to: string
  /** open: not acknowledged; acknowledged: acknowledged; unresolved: acknowledged, its device still off. */
  state: 'open' | 'acknowledged' | 'unresolved' | ''
}

/** Whether an alarm passes the filters (days compared in Beijing time, as the board shows them). */
export function matches(alarm: Alarm, filters: Filters): boolean {
  const day = beijingDate(Date.parse(alarm.raisedAt))
  if (filters.kind && alarm.kind !== filters.kind) return false
  if (filters.laneId && alarm.laneId !== filters.laneId) return false
  if (filters.from && day < filters.from) return false
  if (filters.to && day > filters.to) return false
  if (filters.state === 'open' && alarm.acknowledgedAt) return false
  if (filters.state === 'acknowledged' && !alarm.acknowledgedAt) return false
  if (filters.state === 'unresolved' && !(alarm.acknowledgedAt && alarm.resolvedAt === null)) return false
  return true
}
