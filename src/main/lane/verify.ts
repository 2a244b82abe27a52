import type { Direction, Verdict } from '@shared/contract'
import { PlatformUnavailableError } from '../platform'
import { decide, type DecisionOutcome, type VerdictSource } from '../policy'
import type { Store } from '../store'

export interface VehicleVerifier {
  checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict>
}

export interface Verified extends DecisionOutcome {
  verdict: Verdict | null
  source: VerdictSource
  /** Decided without a fresh platform verdict. */
  decidedOffline: boolean
}

/**
 * Asks the platform within the budget; without an answer, falls back to the verification cache, and decides with
 * the control measures, the local lists and the in-plant ledger as they are in the store now.
 */
export async function verifyAndDecide(
  options: { verifier: VehicleVerifier; store: Store; budgetMs: number; now: () => number; log?: (line: string) => void },
  vehicle: { plate: string; colour: string; direction: Direction }
): Promise<Verified> {
  const { verifier, store, budgetMs } = options
  const { plate, colour, direction } = vehicle
  let verdict: Verdict | null = null
  let source: VerdictSource = 'none'
  try {
    verdict = await withinBudget(verifier.checkVehicle(plate, colour, budgetMs), budgetMs)
    source = 'platform'
    store.verificationCache.put(plate, colour, verdict, options.now())
  } catch (error) {
    if (!(error instanceof PlatformUnavailableError)) throw error
    options.log?.(`getCheckVehicle ${plate}: ${error.message}; deciding offline`)
    const cached = store.verificationCache.get(plate, colour)
    if (cached) {
      verdict = cached.verdict
      source = 'cache'
    }
  }
  const inner = source === 'platform' ? null : store.innerVehicles.find(plate, colour)
  const outcome = decide({
    direction,
    verdict,
    source,
    measures: store.controlMeasures.get(),
    ledger: inner ? { kind: 'inner', emissionStandard: inner.emissionStandard, carStatus: inner.carStatus } : null,
    whitelisted: store.localLists.has('white', plate),
    blacklisted: store.localLists.has('black', plate),
    knownInside: direction === 'out' && store.passages.insideEntry(plate) !== null
  })
  return { ...outcome, verdict, source, decidedOffline: source !== 'platform' }
}

function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformUnavailableError(`no verdict within ${budgetMs} ms`)), budgetMs)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
