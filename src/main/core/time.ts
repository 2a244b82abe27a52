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

const BEIJING_OFFSET_MS = 8 * 3600_000

/** An instant in Beijing time with its offset written (`2026-12-04T18:20:26.123+08:00`): the logs' time stamps. */
export function beijingIso(at: number): string {
  return `${new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, -1)}+08:00`
}
