import type { Decision, Verdict } from '@shared/contract'

/** Where the verdict behind a decision came from. */
export type VerdictSource = 'platform' | 'cache' | 'none'

export interface DecisionOutcome {
  decision: Decision
  /** Stable code for statistics and tests. */
  reasonCode: string
  /** What the guard and the LED read, in Chinese. */
  reasonText: string
}

/**
 * The lane's decision from what is known of a vehicle. ERRATA E32: isControl "0" allows, "1" is controlled, and any
 * other value (a passed-through "2" included) waits for the guard. With no verdict at all the guard decides: a
 * controlled truck must never be let in because the platform happened to be down.
 */
export function decide(verdict: Verdict | null, source: VerdictSource): DecisionOutcome {
  if (verdict === null || source === 'none') {
    return { decision: 'guard', reasonCode: 'no_verdict', reasonText: '平台无应答且无本地核验记录，请人工确认' }
  }
  const cached = source === 'cache' ? '（离线，依据本地核验记录）' : ''
  if (verdict.isControl === '0') {
    return { decision: 'allow', reasonCode: source === 'cache' ? 'cache_allow' : 'platform_allow', reasonText: `核验通过，准予通行${cached}` }
  }
  if (verdict.isControl === '1') {
    const why = verdict.controlReason || '平台管控车辆'
    return { decision: 'refuse', reasonCode: source === 'cache' ? 'cache_control' : 'platform_control', reasonText: `禁止通行：${why}${cached}` }
  }
  return { decision: 'guard', reasonCode: 'platform_undecided', reasonText: `平台未给出明确结论（isControl=${verdict.isControl}），请人工确认` }
}
