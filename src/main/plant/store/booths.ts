import { createHash, randomBytes } from 'node:crypto'
import type { ReportedLane } from '../../core/plant-link'
import { inTransaction, type Pool } from './pool'

export interface EnrolledBooth {
  id: string
  gateCode: string
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** Readable without ambiguity when typed at a booth (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/**
 * Booth trust at the plant: an admin makes a one-time enrolment code for a gate; a booth trades it (once, before it
 * expires) for its own credential; the plant keeps only hashes of both, and revoking a booth ends its credential.
 */
export class Booths {
  constructor(private readonly pool: Pool) {}

  /** A new code for `gateCode`, valid for `validMs`. The code itself is shown once and not stored. */
  async createCode(gateCode: string, by: string, now: number, validMs = 24 * 3600_000): Promise<string> {
    const bytes = randomBytes(12)
    const code = Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')
    await this.pool.query('INSERT INTO enrolment_codes (code_hash, gate_code, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      hashOf(code),
      gateCode,
      by,
      now,
      now + validMs
    ])
    return code
  }

  /**
   * Trades a code for a new credential for booth `boothId` (at the code's gate). Null when the code is unknown,
   * used or expired. A booth enrolling again under its id gets a new credential; the old one stops working.
   */
  async enrol(code: string, boothId: string, now: number): Promise<{ credential: string; booth: EnrolledBooth } | null> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ gate_code: string }>(
        `UPDATE enrolment_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING gate_code`,
        [hashOf(code.trim().toUpperCase()), now, boothId]
      )
      const gateCode = rows[0]?.gate_code
      if (gateCode === undefined) return null
      const credential = randomBytes(32).toString('base64url')
      await client.query(
        `INSERT INTO booths (id, gate_code, credential_hash, enrolled_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET gate_code = excluded.gate_code, credential_hash = excluded.credential_hash,
           enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
        [boothId, gateCode, hashOf(credential), now]
      )
      return { credential, booth: { id: boothId, gateCode } }
    })
  }

  /** The booth a credential belongs to, unless revoked. */
  async authenticate(credential: string, now: number): Promise<EnrolledBooth | null> {
    const { rows } = await this.pool.query<{ id: string; gate_code: string }>(
      'UPDATE booths SET last_seen_at = $2 WHERE credential_hash = $1 AND revoked_at IS NULL RETURNING id, gate_code',
      [hashOf(credential), now]
    )
    return rows[0] ? { id: rows[0].id, gateCode: rows[0].gate_code } : null
  }

  /** Keeps the lanes a booth reported (its config's), replacing its earlier report. */
  async setLanes(boothId: string, lanes: readonly ReportedLane[]): Promise<void> {
    await this.pool.query('UPDATE booths SET lanes = $2 WHERE id = $1', [boothId, JSON.stringify(lanes)])
  }

  /**
   * The lanes of the enrolled (not revoked) booths, by gate and lane id; where two booths of a gate report one lane,
   * the later enrolled one's.
   */
  async reportedLanes(): Promise<(ReportedLane & { boothId: string })[]> {
    const { rows } = await this.pool.query<{ id: string; lanes: ReportedLane[] }>(
      'SELECT id, lanes FROM booths WHERE revoked_at IS NULL AND lanes IS NOT NULL ORDER BY enrolled_at'
    )
    const byLane = new Map<string, ReportedLane & { boothId: string }>()
    for (const row of rows) for (const lane of row.lanes) byLane.set(`${lane.gateCode}/${lane.id}`, { ...lane, boothId: row.id })
    return [...byLane.values()].sort((a, b) => a.gateCode.localeCompare(b.gateCode) || a.id.localeCompare(b.id))
  }

  async revoke(boothId: string, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE booths SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [boothId, now])
    return rowCount === 1
  }
}
