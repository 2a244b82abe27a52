import type { ControlMeasures, LaneSettings, ListValidity } from '@shared/contract'
import { plateColourLabel } from '@shared/spec'
import type { DecisionOutcome } from './decide'

const BEIJING_OFFSET_MS = 8 * 3600_000
const MONTHS: Record<Exclude<ListValidity, 'permanent'>, number> = { '1m': 1, '3m': 3, '1y': 12 }

/**
 * When a list entry added at `now` expires (epoch ms), or null for a permanent one: the same Beijing clock time
 * `validity` calendar months later (31 Jan + 1 month is 3 Mar, as Date counts).
 */
export function listExpiry(validity: ListValidity, now: number): number | null {
  if (validity === 'permanent') return null
  const beijing = new Date(now + BEIJING_OFFSET_MS)
  beijing.setUTCMonth(beijing.getUTCMonth() + MONTHS[validity])
  return beijing.getTime() - BEIJING_OFFSET_MS
}

const NO_CONTROL: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '' }

/** The measures as they apply at `now`: none before their start or from their end. */
export function measuresInForce(measures: ControlMeasures, now: number): ControlMeasures {
  if (measures.startsAt && now < Date.parse(measures.startsAt)) return NO_CONTROL
  if (measures.endsAt && now >= Date.parse(measures.endsAt)) return NO_CONTROL
  return measures
}

export interface LaneRuleFacts {
  direction: 'in' | 'out'
  colour: string
  /** Goods are recorded for the truck's visit (its entry passage). */
  goodsRecorded: boolean
}

/**
 * The lane's own settings over the policy's decision, pure. A colour the lane does not take is refused; an exit lane
 * that needs goods holds a truck without them for the guard; 二次确认 holds every truck the lane would let through.
 * Only an `allow` is narrowed: a refusal or a hold stays as it is.
 */
export function applyLaneRules(outcome: DecisionOutcome, settings: LaneSettings | null, facts: LaneRuleFacts): DecisionOutcome {
  if (!settings || outcome.decision !== 'allow') return outcome
  if (settings.allowedColours.length > 0 && !settings.allowedColours.includes(facts.colour)) {
    const reasonText = `本车道不允许${plateColourLabel(facts.colour)}车牌车辆通行`
    return { decision: 'refuse', reasonCode: 'lane_colour_not_allowed', reasonText, ledText: '禁止通行' }
  }
  if (facts.direction === 'out' && settings.goodsBeforeExit && !facts.goodsRecorded) {
    return { decision: 'guard', reasonCode: 'lane_goods_missing', reasonText: `${outcome.reasonText}；未登记货物，登记后放行`, ledText: '请登记货物' }
  }
  if (settings.confirmEveryOpening) {
    return { decision: 'guard', reasonCode: 'lane_confirm_each', reasonText: `${outcome.reasonText}；本车道需值班员确认放行`, ledText: '请稍候 人工核验' }
  }
  return outcome
}
