import type { Verdict } from '@shared/contract'
import type { Db } from './db'

export interface CachedVerdict {
  verdict: Verdict
  verifiedAt: number
}

/** The last platform verdict per vehicle, for deciding when the platform does not answer in time. */
export class VerificationCache {
  constructor(private readonly db: Db) {}

  put(plate: string, colour: string, verdict: Verdict, at: number): void {
    this.db
      .prepare(
        `INSERT INTO verification_cache (plate, plate_colour, verdict_json, verified_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (plate, plate_colour) DO UPDATE SET verdict_json = excluded.verdict_json, verified_at = excluded.verified_at`
      )
      .run(plate, colour, JSON.stringify(verdict), at)
  }

  get(plate: string, colour: string): CachedVerdict | null {
    const row = this.db
      .prepare('SELECT verdict_json, verified_at FROM verification_cache WHERE plate = ? AND plate_colour = ?')
      .get(plate, colour) as { verdict_json: string; verified_at: number } | undefined
    return row ? { verdict: JSON.parse(row.verdict_json) as Verdict, verifiedAt: row.verified_at } : null
  }
}
