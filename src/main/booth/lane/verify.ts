import type { Direction, Verdict } from '@shared/contract'
import { PlatformUnavailableError, type UnavailableCause } from '../../core/platform'
import { applyLaneRules, decide, measuresInForce, type DecisionOutcome, type VerdictSource } from '../../core/policy'
import type { Store } from '../store'

export interface VehicleVerifier {
  checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict>
}

/**
 * After the platform failed to answer, the lane stops asking for `retryAfterMs` and decides offline at once: an
 * unreachable platform usually means the whole budget lost per truck. The first truck after the pause asks again.
 */
export class PlatformReachability {
  private skipUntil = 0
  /** Why the last ask failed: a lane deciding offline during the pause says the same. */
  lastProblem: UnavailableCause = 'down'

  constructor(
    private readonly retryAfterMs: number,
    private readonly now: () => number
  ) {}

  shouldAsk(): boolean {
    return this.now() >= this.skipUntil
  }

  failed(problem: UnavailableCause): void {
    this.skipUntil = this.now() + this.retryAfterMs
    this.lastProblem = problem
  }

  answered(): void {
    this.skipUntil = 0
  }
}

export interface Verified extends DecisionOutcome {
  verdict: Verdict | null
  source: VerdictSource
  /** Decided without a fresh platform verdict. */
  decidedOffline: boolean
}

/**
 * Asks the platform within the budget; without an answer, falls back to the verification cache, and decides with
 * the control measures, the local lists and the in-plant ledger as they are in the store now. Reads only: the
 * caller caches a fresh verdict together with the passage, after the barrier command.
 */
export async function verifyAndDecide(
  options: { verifier: VehicleVerifier; store: Store; budgetMs: number; reachability: PlatformReachability; log?: (line: string) => void; now?: () => number },
  vehicle: { plate: string; colour: string; direction: Direction; laneId?: string }
): Promise<Verified> {
  const { verifier, store, budgetMs } = options
  const { plate, colour, direction } = vehicle
  let verdict: Verdict | null = null
  let source: VerdictSource = 'none'
  let problem: string | null = null
  try {
    if (!options.reachability.shouldAsk()) throw new PlatformUnavailableError('platform unreachable a moment ago', options.reachability.lastProblem)
    verdict = await withinBudget(verifier.checkVehicle(plate, colour, budgetMs), budgetMs)
    source = 'platform'
    options.reachability.answered()
  } catch (error) {
    // Anything but a verdict decides offline: a fault in the client must not lose the truck.
    const why = error instanceof PlatformUnavailableError ? error.message : `unexpected error: ${(error as Error).stack ?? String(error)}`
    const cause = error instanceof PlatformUnavailableError ? error.problem : 'down'
    problem = PROBLEM_TEXT[cause]
    if (options.reachability.shouldAsk()) options.reachability.failed(cause)
    options.log?.(`getCheckVehicle ${plate}: ${why}; deciding offline`)
    const cached = store.verificationCache.get(plate, colour)
    if (cached) {
      verdict = cached.verdict
      source = 'cache'
    }
  }
  const inner = source === 'platform' ? null : store.innerVehicles.find(plate, colour)
  const now = (options.now ?? Date.now)()
  const entry = direction === 'out' ? store.passages.insideEntry(plate) : null
  const decided = decide({
    direction,
    verdict,
    source,
    measures: measuresInForce(store.controlMeasures.get(), now),
    ledger: inner ? { kind: 'inner', emissionStandard: inner.emissionStandard, carStatus: inner.carStatus } : null,
    whitelisted: store.localLists.has('white', plate, now),
    blacklisted: store.localLists.has('black', plate, now),
    knownInside: entry !== null
  })
  // The admin's lane settings (docs/admin.md) narrow an allow: colours, goods before exit, 二次确认.
  const settings = vehicle.laneId ? store.laneSettings.get(vehicle.laneId) : null
  const goodsRecorded = settings?.goodsBeforeExit === true && goodsRecordedForVisit(store, plate)
  const outcome = applyLaneRules(decided, settings, { direction, colour, goodsRecorded })
  return { ...outcome, reasonText: truthfulReason(outcome, problem), verdict, source, decidedOffline: source !== 'platform' }
}

/** What the guard reads when the platform gave no verdict: what really happened, not always "无应答". */
const PROBLEM_TEXT: Readonly<Record<UnavailableCause, string>> = {
  down: '平台无应答',
  token: '平台登录失效（令牌无效）',
  refused: '平台拒收核验请求（格式校验失败）'
}

function truthfulReason(outcome: DecisionOutcome, problem: string | null): string {
  if (problem === null) return outcome.reasonText
  if (outcome.reasonCode === 'no_verdict') return outcome.reasonText.replace('平台无应答', problem)
  return problem === PROBLEM_TEXT.down ? outcome.reasonText : `${outcome.reasonText}（${problem}）`
}

/** Goods are recorded for the truck's visit: on the entry passage of the plate that has not left yet. */
export function goodsRecordedForVisit(store: Store, plate: string): boolean {
  const entry = store.passages.insideEntry(plate)
  return entry !== null && store.ledgers.goodsOfPassage(entry.passageId) !== null
}

function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformUnavailableError(`no verdict within ${budgetMs} ms`)), budgetMs)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
