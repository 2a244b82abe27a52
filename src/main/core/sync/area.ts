import { syncCommands, type Actor, type DeadLetterView } from '@shared/contract'
import type { DeadLetter, OutboxItem, Store } from '../../booth/store'
import { actorName } from '../api/actor'
import { ApiFailure } from '../api/errors'
import { preflightProblems } from '../platform'
import { defineArea } from '../root/area'
import { isoOf, isoOrNull, type Clock } from '../time'
import { unknownFields, type Validate } from './dead-letter'
import { SyncWorker } from './worker'

declare module '../root/area' {
  interface Provided {
    /** The only sender of uploads. */
    sync: SyncWorker
    /** Tells `listener` of each outbox row whose new state was committed (a ledger row's upload state follows it). */
    onOutboxSettled: (listener: (item: OutboxItem) => void) => () => void
  }
}

export interface SyncAreaOptions {
  /** Pre-flight of a payload before it is sent or re-queued (default: the spec's field rules). */
  validate?: Validate
  random?: () => number
  /** Start sending when the role starts (default true; tests that fill the outbox first say false). */
  send?: boolean
}

/** The outbox: the sync worker that drains it, its status, and the dead letters an admin fixes or sends again. */
export function syncArea({ validate = preflightProblems, random, send = true }: SyncAreaOptions = {}) {
  return defineArea({
    name: 'sync',
    needs: ['store', 'platform', 'clock'],
    provides: ['sync', 'onOutboxSettled'],
    commands: syncCommands,
    create({ store, platform, clock }, { config, events, log }) {
      const settledListeners = new Set<(item: OutboxItem) => void>()
      const sync = new SyncWorker({
        store,
        platform,
        intervalMs: config.sync.intervalMs,
        maxBackoffMs: config.sync.maxBackoffMs,
        concurrency: config.sync.concurrency,
        compactAfterDays: config.sync.compactAfterDays,
        validate,
        log,
        onPassageChanged: (id) => {
          const passage = store.passages.get(id)
          if (passage) events.publish('passage.updated', passage)
        },
        onItemChanged: (item) => settledListeners.forEach((listener) => listener(item)),
        onStatus: (status) => events.publish('sync.status', status),
        now: clock,
        ...(random ? { random } : {})
      })
      const deadLetters = new DeadLetters(store, sync, validate, clock)
      return {
        provides: {
          sync,
          onOutboxSettled(listener) {
            settledListeners.add(listener)
            return () => settledListeners.delete(listener)
          }
        },
        handlers: {
          'sync.status': () => sync.status(),
          'sync.now': () => {
            sync.kick()
            return sync.status()
          },
          'outbox.deadLetters': ({ limit }) => store.outbox.deadLetters(limit).map(deadLetterView),
          'outbox.fix': ({ id, changes }, { actor }) => deadLetters.fix(id, changes, actor),
          'outbox.requeue': ({ id }) => deadLetters.requeue(id)
        },
        start() {
          if (send) sync.start()
        },
        stop: () => sync.stop()
      }
    }
  })
}

/** An admin's repair of uploads the platform refused or pre-flight stopped: fix fields, or send again as it is. */
class DeadLetters {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncWorker,
    private readonly validate: Validate,
    private readonly clock: Clock
  ) {}

  /** Only fields the payload already has may change; re-queued at once when pre-flight then finds nothing wrong. */
  fix(id: number, changes: Record<string, string>, actor: Actor | null) {
    const { outbox } = this.store
    const item = outbox.get(id)
    if (!item || outbox.state(id) !== 'dead') throw notFound(id)
    const unknown = unknownFields(item.payload, changes)
    if (unknown.length > 0) return { requeued: false, problems: unknown, deadLetter: this.view(id) }
    outbox.fix(id, changes, actorName(actor), this.clock())
    const fixed = outbox.get(id)!
    const problems = this.validate(fixed.kind, fixed.payload)
    const requeued = problems.length === 0 && outbox.requeue(id, this.clock())
    if (requeued) this.sync.requeued()
    return { requeued, problems, deadLetter: requeued ? null : this.view(id) }
  }

  requeue(id: number) {
    const requeued = this.store.outbox.requeue(id, this.clock())
    if (!requeued) throw notFound(id)
    this.sync.requeued()
    return { requeued }
  }

  private view(id: number): DeadLetterView | null {
    const found = this.store.outbox.deadLetter(id)
    return found ? deadLetterView(found) : null
  }
}

const notFound = (id: number) => new ApiFailure('not_found', `没有编号为 ${id} 的待处理失败上传`)

function deadLetterView(letter: DeadLetter): DeadLetterView {
  return { ...letter, createdAt: isoOf(letter.createdAt), fixedAt: isoOrNull(letter.fixedAt) }
}
