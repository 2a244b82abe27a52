import type { VehicleClass } from '@shared/contract'
import type { Db } from './db'
import type { RaiseSource } from './passages'

export type ClipRowState = 'reference' | 'pending' | 'stored' | 'missing'

export interface NewClipReference {
  passageId: number
  recorder: string
  kind: string
  url: string
  channel: string
  startAt: number
  endAt: number
}

export interface ClipRow extends NewClipReference {
  id: number
  lsh: string
  state: ClipRowState
  cause: string | null
  attempts: number
  nextAttemptAt: number | null
  lastError: string | null
  path: string | null
  sha256: string | null
  bytes: number | null
  durationMs: number | null
}

export interface StoredClip {
  path: string
  sha256: string
  bytes: number
  durationMs: number
}

const SELECT = `
  SELECT c.id, c.passage_id AS passageId, p.lsh, c.recorder, c.kind, c.url, c.channel, c.start_at AS startAt, c.end_at AS endAt,
         c.state, c.cause, c.attempts, c.next_attempt_at AS nextAttemptAt, c.last_error AS lastError, c.path, c.sha256,
         c.bytes, c.duration_ms AS durationMs
    FROM passage_clips c JOIN passages p ON p.id = c.passage_id`

/**
 * Each passage's clip references and their fetch jobs. A job is a row in state pending with the time of its next
 * attempt: it survives a restart, and the fetcher claims the due ones oldest first.
 */
export class Clips {
  constructor(private readonly db: Db) {}

  /** The passage's references, one per channel; existing ones are left as they are. */
  addReferences(references: NewClipReference[], now: number): void {
    const insert = this.db.prepare(
      `INSERT INTO passage_clips (passage_id, recorder, kind, url, channel, start_at, end_at, created_at, updated_at)
       VALUES (@passageId, @recorder, @kind, @url, @channel, @startAt, @endAt, @now, @now)
       ON CONFLICT (passage_id, channel) DO NOTHING`
    )
    this.db.transaction(() => {
      for (const reference of references) insert.run({ ...reference, now })
    })()
  }

  forPassage(passageId: number): ClipRow[] {
    return this.db.prepare(`${SELECT} WHERE c.passage_id = ? ORDER BY c.id`).all(passageId) as ClipRow[]
  }

  get(id: number): ClipRow | null {
    return (this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ClipRow | undefined) ?? null
  }

  /**
   * Makes the passage's references (and, when `retryMissing`, its missing clips) fetch jobs due at `dueAt`, with the
   * cause recorded. Returns the ids of the rows that became pending.
   */
  request(passageId: number, cause: string, dueAt: number, now: number, retryMissing: boolean): number[] {
    const states = retryMissing ? `('reference', 'missing')` : `('reference')`
    return this.db
      .prepare(
        `UPDATE passage_clips SET state = 'pending', cause = @cause, attempts = 0, next_attempt_at = @dueAt, last_error = NULL, updated_at = @now
          WHERE passage_id = @passageId AND state IN ${states} RETURNING id`
      )
      .pluck()
      .all({ passageId, cause, dueAt, now }) as number[]
  }

  /** Pending jobs due at `now`, oldest clip first. */
  due(now: number, limit: number): ClipRow[] {
    return this.db.prepare(`${SELECT} WHERE c.state = 'pending' AND c.next_attempt_at <= ? ORDER BY c.next_attempt_at, c.id LIMIT ?`).all(now, limit) as ClipRow[]
  }

  /** When the next pending job falls due, or null when none is pending. */
  nextDueAt(): number | null {
    return (this.db.prepare(`SELECT MIN(next_attempt_at) FROM passage_clips WHERE state = 'pending'`).pluck().get() as number | null) ?? null
  }

  stored(id: number, clip: StoredClip, now: number): void {
    this.db
      .prepare(
        `UPDATE passage_clips SET state = 'stored', path = @path, sha256 = @sha256, bytes = @bytes, duration_ms = @durationMs,
                attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL, updated_at = @now WHERE id = @id`
      )
      .run({ ...clip, now, id })
  }

  retryLater(id: number, error: string, nextAttemptAt: number, now: number): void {
    this.db
      .prepare(`UPDATE passage_clips SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`)
      .run(error, nextAttemptAt, now, id)
  }

  /** Postponed without counting an attempt (nothing was tried: the disk is full). */
  postpone(id: number, error: string, nextAttemptAt: number, now: number): void {
    this.db.prepare(`UPDATE passage_clips SET last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`).run(error, nextAttemptAt, now, id)
  }

  missing(id: number, reason: string, now: number): void {
    this.db
      .prepare(`UPDATE passage_clips SET state = 'missing', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?`)
      .run(reason, now, id)
  }

  /** Passages of these lanes read since `since` that have no clip reference yet (a crash came between the two writes). */
  passagesWithoutClips(laneIds: string[], since: number, limit: number): number[] {
    return this.db
      .prepare(
        `SELECT p.id FROM passages p
          WHERE p.lane_id IN (SELECT value FROM json_each(@lanes)) AND p.recognized_at >= @since
            AND NOT EXISTS (SELECT 1 FROM passage_clips c WHERE c.passage_id = p.id)
          ORDER BY p.recognized_at LIMIT @limit`
      )
      .pluck()
      .all({ lanes: JSON.stringify(laneIds), since, limit }) as number[]
  }

  /** Passages read in [from, to) (optionally of one lane), oldest first, for the inspector export. */
  passagesBetween(from: number, to: number, laneId: string | undefined, limit: number): ExportPassage[] {
    return this.db
      .prepare(
        `SELECT id, lsh, lane_id AS laneId, plate, plate_colour AS plateColour, recognized_at AS recognizedAt, decision, reason_text AS reasonText,
                bgzt, forced, raise_source AS raiseSource, vehicle_class AS vehicleClass FROM passages
          WHERE recognized_at >= @from AND recognized_at < @to AND (@laneId IS NULL OR lane_id = @laneId) ORDER BY recognized_at, id LIMIT @limit`
      )
      .all({ from, to, laneId: laneId ?? null, limit }) as ExportPassage[]
  }
}

export interface ExportPassage {
  id: number
  lsh: string
  laneId: string
  plate: string
  plateColour: string
  recognizedAt: number
  decision: string
  reasonText: string
  bgzt: string
  forced: number
  raiseSource: RaiseSource | null
  vehicleClass: VehicleClass | null
}
