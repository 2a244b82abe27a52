import type { Alarm, Passage } from '@shared/contract'

/** What a shift handed over: its trucks by outcome, the manual decisions, and its alarms (still open or not). */
export interface ShiftSummary {
  passages: number
  allowed: number
  refused: number
  waiting: number
  manualReleases: number
  violations: number
  manualRefusals: number
  forced: number
  alarms: number
  openAlarms: number
}

export function shiftSummary(passages: readonly Passage[], alarms: readonly Alarm[], since: string): ShiftSummary {
  const from = Date.parse(since)
  const mine = passages.filter((passage) => Date.parse(passage.recognizedAt) >= from)
  const raised = alarms.filter((alarm) => Date.parse(alarm.raisedAt) >= from)
  const count = (test: (passage: Passage) => boolean) => mine.filter(test).length
  return {
    passages: mine.length,
    allowed: count((passage) => passage.decision === 'allow'),
    refused: count((passage) => passage.decision === 'refuse'),
    waiting: count((passage) => passage.decision === 'guard'),
    manualReleases: count((passage) => passage.reasonCode.startsWith('manual_release')),
    violations: count((passage) => passage.reasonCode === 'manual_release_violation'),
    manualRefusals: count((passage) => passage.reasonCode === 'manual_refuse'),
    forced: count((passage) => passage.forced === true),
    alarms: raised.length,
    openAlarms: raised.filter((alarm) => !alarm.acknowledgedAt).length
  }
}
