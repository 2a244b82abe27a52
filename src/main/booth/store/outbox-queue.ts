import type { Commit, OutboxQueue } from '../../core/sync/queue'
import type { Db } from './db'
import type { Outbox } from './outbox'

/** The sync worker's outbox on the booth's SQLite: each `commit` is one transaction, so one fsync per claimed batch. */
export function sqliteOutboxQueue(db: Db, outbox: Outbox): OutboxQueue {
  const commit = db.transaction(({ outcomes, release, claim }: Commit) => {
    for (const outcome of outcomes) outbox.settle(outcome)
    if (release && release.length > 0) outbox.release(release)
    return claim && claim.limit > 0 ? outbox.claim(claim) : []
  })
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
