import { syncCommands, type Actor, type DeadLetterView } from '@shared/contract'
import { actorName } from '../api/actor'
import { ApiFailure } from '../api/errors'
import type { Handlers } from '../api/router'
import { preflightProblems } from '../platform'
import { defineArea } from '../root/area'
import { isoOf, isoOrNull, type Clock } from '../time'
import { unknownFields, type Validate } from './dead-letter'
import type { DeadLetter, OutboxItem, OutboxQueue } from './queue'
import { SyncWorker, type SyncPlatform } from './worker'
import type { Repos } from '../repos'

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
  /** Where the rows go instead of the city platform (an edge booth: its plant, docs/plant.md). */
  sendVia?: (repos: Repos) => SyncPlatform
}

/** The outbox: the sync worker that drains it, its status, and the dead letters an admin fixes or sends again. */
export function syncArea({ validate = preflightProblems, random, send = true, sendVia }: SyncAreaOptions = {}) {
  return defineArea({
    name: 'sync',
    needs: ['repos', 'platform', 'clock'],
    provides: ['sync', 'onOutboxSettled'],
    commands: syncCommands,
    create({ repos, platform, clock }, { config, events, log }) {
      const { sync, provides, handlers } = syncWorkerParts(repos.outbox, validate, clock, (onItemChanged) =>
        new SyncWorker({
          outbox: repos.outbox,
          photos: repos.photos,
          platform: sendVia ? sendVia(repos) : platform,
          requestTimeoutMs: config.platform.requestTimeoutMs,
          intervalMs: config.sync.intervalMs,
          maxBackoffMs: config.sync.maxBackoffMs,
          concurrency: config.sync.concurrency,
          compactAfterDays: config.sync.compactAfterDays,
          validate,
          log,
          onPassageChanged: (id) => {
            const passage = repos.passages.get(id)
            if (passage) events.publish('passage.updated', passage)
          },
          onItemChanged,
          onStatus: (status) => events.publish('sync.status', status),
          now: clock,
          ...(random ? { random } : {})
        })
      )
      return {
        provides,
        handlers,
        async start() {
          if (send) await sync.start()
        },
        stop: () => sync.stop()
      }
    }
  })
}

/**
 * A sync worker's provisions and commands, for the area of a role that sends: the booth's sync area, the plant's city
 * area. `makeWorker` gets the callback that tells the `onOutboxSettled` listeners.
 */
export function syncWorkerParts(outbox: OutboxQueue, validate: Validate, clock: Clock, makeWorker: (onItemChanged: (item: OutboxItem) => void) => SyncWorker) {
  const settledListeners = new Set<(item: OutboxItem) => void>()
  const sync = makeWorker((item) => settledListeners.forEach((listener) => listener(item)))
  const provides = {
    sync,
    onOutboxSettled(listener: (item: OutboxItem) => void) {
      settledListeners.add(listener)
      return () => settledListeners.delete(listener)
    }
  }
  const handlers: Handlers<'sync.status' | 'sync.now' | 'outbox.deadLetters' | 'outbox.fix' | 'outbox.requeue'> = {
    'sync.status': () => sync.status(),
    'sync.now': () => {
      sync.kick()
      return sync.status()
    },
    ...deadLetterHandlers(outbox, sync, validate, clock)
  }
  return { sync, provides, handlers }
}

/** The dead-letter commands over `outbox` (the booth's, or the plant's shared outbox). */
function deadLetterHandlers(outbox: OutboxQueue, sync: SyncWorker, validate: Validate, clock: Clock): Handlers<'outbox.deadLetters' | 'outbox.fix' | 'outbox.requeue'> {
  const deadLetters = new DeadLetters(outbox, sync, validate, clock)
  return {
    'outbox.deadLetters': async ({ limit }) => (await outbox.deadLetters(limit)).map(deadLetterView),
    'outbox.fix': ({ id, changes }, { actor }) => deadLetters.fix(id, changes, actor),
    'outbox.requeue': ({ id }) => deadLetters.requeue(id)
  }
}

/** An admin's repair of uploads the platform refused or pre-flight stopped: fix fields, or send again as it is. */
class DeadLetters {
  constructor(
    private readonly outbox: OutboxQueue,
    private readonly sync: SyncWorker,
    private readonly validate: Validate,
    private readonly clock: Clock
  ) {}

  /** Only fields the payload already has may change; re-queued at once when pre-flight then finds nothing wrong. */
  async fix(id: number, changes: Record<string, string>, actor: Actor | null) {
    const letter = await this.outbox.deadLetter(id)
    if (!letter) throw notFound(id)
    const unknown = unknownFields(letter.payload, changes)
    if (unknown.length > 0) return { requeued: false, problems: unknown, deadLetter: deadLetterView(letter) }
    const fixed = await this.outbox.fix(id, changes, actorName(actor), this.clock())
    if (!fixed) throw notFound(id)
    const problems = this.validate(fixed.kind, fixed.payload)
    const requeued = problems.length === 0 && (await this.outbox.requeue(id, this.clock()))
    if (requeued) this.sync.requeued()
    return { requeued, problems, deadLetter: requeued ? null : await this.view(id) }
  }

  async requeue(id: number) {
    const requeued = await this.outbox.requeue(id, this.clock())
    if (!requeued) throw notFound(id)
    this.sync.requeued()
    return { requeued }
  }

  private async view(id: number): Promise<DeadLetterView | null> {
    const found = await this.outbox.deadLetter(id)
    return found ? deadLetterView(found) : null
  }
}

const notFound = (id: number) => new ApiFailure('not_found', `没有编号为 ${id} 的待处理失败上传`)

function deadLetterView(letter: DeadLetter): DeadLetterView {
  return { ...letter, createdAt: isoOf(letter.createdAt), fixedAt: isoOrNull(letter.fixedAt) }
}
