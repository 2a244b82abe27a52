import type { ControlMeasures, Decision, Direction, Verdict } from '@shared/contract'
import { labelOf } from '@shared/spec'
import { emissionBan, levelText, stopsTransport } from './measures'

/** Where the verdict behind a decision came from. */
export type VerdictSource = 'platform' | 'cache' | 'none'

/** What the local ledgers know of a vehicle when the platform gave no verdict. */
export interface LedgerFacts {
  /** In-plant vehicle ledger (spec 4.1.7). */
  kind: 'inner'
  emissionStandard: string
  /** 1 正常, 2 封存, 3 注销 */
  carStatus: string
}

export interface DecisionInput {
  direction: Direction
  verdict: Verdict | null
  source: VerdictSource
  measures: ControlMeasures
  ledger: LedgerFacts | null
  whitelisted: boolean
  blacklisted: boolean
  /** The vehicle passed one of our entry barriers and has not left since (relevant on exit lanes). */
  knownInside: boolean
}

export interface DecisionOutcome {
  decision: Decision
  /** Stable code for statistics and tests; see docs/lane.md. */
  reasonCode: string
  /** What the guard reads, in Chinese. */
  reasonText: string
  /** The short line for the LED display. */
  ledText: string
}

const LED: Record<Decision, string> = { allow: '请通行', refuse: '禁止通行', guard: '请稍候 人工核验' }

function outcome(decision: Decision, reasonCode: string, reasonText: string): DecisionOutcome {
  return { decision, reasonCode, reasonText, ledText: LED[decision] }
}

/**
 * The lane's decision, pure. In order: the local blacklist; the platform's control verdict (ERRATA E32: "1" is
 * controlled, anything but "0" and "1" waits for the guard); measures that stop all transport (B7.20 7, B7.22 5–7,
 * B7.21 8); the emission-stage bans of B7.20 1–6; then the verdict, or offline the in-plant ledger, the whitelist
 * and (on exit lanes) a vehicle known to be inside. A controlled truck is never let in because the platform was down.
 */
export function decide(input: DecisionInput): DecisionOutcome {
  const { verdict, source, measures } = input
  const offline = source === 'platform' ? '' : '（离线决定）'
  const level = levelText(measures)
  const under = level ? `${level}期间，` : ''

  if (input.blacklisted) return outcome('refuse', 'local_blacklist', `本地黑名单车辆，禁止通行${offline}`)

  if (verdict?.isControl === '1') {
    const why = verdict.controlReason || '平台管控车辆'
    const cached = source === 'cache' ? '（离线，依据本地核验记录）' : ''
    return outcome('refuse', source === 'cache' ? 'cache_control' : 'platform_control', `禁止通行：${why}${cached}`)
  }

  if (stopsTransport(measures)) {
    const which =
      measures.strategy === '7'
        ? labelOf('controlStrategy', '7')
        : measures.enterpriseType === '8'
          ? `企业管控类型：${labelOf('enterpriseControlType', '8')}`
          : `企业管控措施：${labelOf('enterpriseControlMeasures', measures.measures ?? '') ?? measures.measures}`
    return outcome('refuse', 'measure_stop_transport', `禁止通行：${under}${which}${offline}`)
  }

  const facts = verdict
    ? { emissionStandard: verdict.emissionStandard, fuelType: verdict.fuelType }
    : input.ledger
      ? { emissionStandard: input.ledger.emissionStandard, fuelType: '' }
      : null
  let halved = false
  if (measures.strategy !== null) {
    if (!facts) return outcome('guard', 'measure_vehicle_unknown', `${under}无法获取车辆排放信息，请人工核验${offline}`)
    const ban = emissionBan(measures, facts.emissionStandard, facts.fuelType)
    if (ban.kind === 'banned') return outcome('refuse', 'measure_emission_ban', `禁止通行：${under}${ban.why}${offline}`)
    if (ban.kind === 'unknown') return outcome('guard', 'measure_vehicle_unknown', `${under}${ban.why}，请人工核验${offline}`)
    halved = ban.halved
  }
  const halvedNote = halved ? '（限运 50% 期间，注意控制车次）' : ''

  if (verdict) {
    if (verdict.isControl === '0') {
      const cached = source === 'cache' ? '（离线，依据本地核验记录）' : ''
      return outcome('allow', source === 'cache' ? 'cache_allow' : 'platform_allow', `核验通过，准予通行${halvedNote}${cached}`)
    }
    return outcome('guard', 'platform_undecided', `平台未给出明确结论（isControl=${verdict.isControl}），请人工确认${offline}`)
  }

  if (input.ledger) {
    if (input.ledger.carStatus === '1') return outcome('allow', 'inner_vehicle', `厂内登记车辆，准予通行${halvedNote}${offline}`)
    return outcome('refuse', 'inner_vehicle_inactive', `厂内车辆已${input.ledger.carStatus === '2' ? '封存' : '注销'}，禁止通行${offline}`)
  }
  if (input.whitelisted) return outcome('allow', 'local_whitelist', `本地白名单车辆，准予通行${halvedNote}${offline}`)
  if (input.direction === 'out' && input.knownInside) {
    return outcome('allow', 'exit_known_inside', `经本厂入口核验进厂的车辆，准予出厂${halvedNote}${offline}`)
  }
  return outcome('guard', 'no_verdict', '平台无应答且无本地核验记录，请人工确认')
}
