import { createHash } from 'node:crypto'

/** The hash the first row links to. */
export const GENESIS_HASH = '0'.repeat(64)

/** What a row's hash covers: everything it records, and the previous row's hash. */
export interface ChainedContent {
  id: number
  at: number
  actorJson: string | null
  action: string
  subject: string | null
  detail: string
}

export function rowHash(prevHash: string, row: ChainedContent): string {
  const content = JSON.stringify([row.id, row.at, row.actorJson, row.action, row.subject, row.detail])
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex')
}

export interface StoredRow extends ChainedContent {
  prevHash: string
  hash: string
}

/** Where a verification walk stands: the hash the next row must link to, and how many rows were checked. */
export interface ChainState {
  prev: string
  checked: number
}

/**
 * Walks the rows in id order, from `from` (the start of the chain unless a walk continues page by page); the first
 * whose link or content does not match its hash is reported.
 */
export function verifyChain(
  rows: Iterable<StoredRow>,
  from: ChainState = { prev: GENESIS_HASH, checked: 0 }
): ChainState & { firstBad: { id: number; problem: string } | null } {
  let { prev, checked } = from
  for (const row of rows) {
    checked++
    if (row.prevHash !== prev) return { prev, checked, firstBad: { id: row.id, problem: 'link to the previous row broken (a row was removed, inserted or altered before it)' } }
    if (rowHash(prev, row) !== row.hash) return { prev, checked, firstBad: { id: row.id, problem: 'content does not match its hash (the row was altered)' } }
    prev = row.hash
  }
  return { prev, checked, firstBad: null }
}
