/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base · 2^attempt)), so a plant's booths that
 * lost the platform together do not all come back at the same instant.
 */
export function backoffDelayMs(attempt: number, options: { baseMs: number; capMs: number; random: () => number }): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30))
  return Math.floor(options.random() * ceiling)
}
