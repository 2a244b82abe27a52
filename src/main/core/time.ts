/**
 * Epoch milliseconds now. Injected wherever a record is stamped or a timeout runs: in a booth it is the
 * platform-corrected clock the platform area provides (`clock`), so passages, uploads, ledgers and alarms share one
 * time; tests inject their own.
 */
export type Clock = () => number

/** An instant (epoch ms) as the contract writes it: ISO-8601 in UTC. */
export function isoOf(at: number): string {
  return new Date(at).toISOString()
}

/** `isoOf`, keeping a missing instant missing. */
export function isoOrNull(at: number | null): string | null {
  return at === null ? null : isoOf(at)
}
