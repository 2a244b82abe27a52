import type { Commit, OutboxQueue } from '../../core/sync/queue'
import type { Db } from './db'
import type { Outbox } from './outbox'

/**
 * The sync worker's outbox on the booth's SQLite: each `commit` is one transaction. It is written without waiting for
 * the disk (WAL with `synchronous = NORMAL` for that transaction alone; every other write of the booth stays FULL):
 * a draining backlog commits dozens of times a second, and each fsync held the event loop for several ms (half the
 * time of a record drain on a busy disk). What a power cut can lose is the last claims and outcomes: those rows are
 * still pending at the next start and go again with the same key — the at-least-once across a crash the worker
 * promises anyway (docs/sync.md). A process crash loses nothing (the WAL is in the OS's hands), and the next FULL
 * commit of the booth makes every earlier one durable.
 */
export function sqliteOutboxQueue(db: Db, outbox: Outbox): OutboxQueue {
  const transaction = db.transaction(({ outcomes, release, claim }: Commit) => {
    for (const outcome of outcomes) outbox.settle(outcome)
    if (release && release.length > 0) outbox.release(release)
    return claim && claim.limit > 0 ? outbox.claim(claim) : []
  })
  const commit = (work: Commit) => {
    db.pragma('synchronous = NORMAL')
    try {
      return transaction(work)
    } finally {
      db.pragma('synchronous = FULL')
    }
  }
  return {
    commit: async (work) => commit(work),
    recoverInFlight: async () => outbox.recoverInFlight(),
    nextDueAt: async () => outbox.nextDueAt(),
    counts: async () => outbox.counts(),
    compact: async (doneBefore, now) => outbox.compact(doneBefore, now),
    deadLetters: async (limit) => outbox.deadLetters(limit),
    deadLetter: async (id) => outbox.deadLetter(id),
    fix: async (id, changes, fixedBy, now) => (outbox.fix(id, changes, fixedBy, now) ? outbox.get(id) : null),
    requeue: async (id, now) => outbox.requeue(id, now)
  }
}
