import { platformCommands, syncCommands } from '@shared/contract'
import { PlatformClient, preflightProblems } from '../../core/platform'
import { registerSecret } from '../../core/log'
import { defineArea, type RootContext } from '../../core/root/area'
import { SyncWorker, type OutboxItem } from '../../core/sync'
import { deadLetterHandlers } from '../../core/sync/area'
import type { PlantConfig } from '../config'

/**
 * The plant as the enterprise's only city-platform client (docs/plant.md): one login, the corrected clock, the sync
 * worker that drains the plant's shared outbox (booths' passages and photos, ledgers filed at the plant), and the
 * dead letters of that outbox for an admin to fix and send again.
 */
export function plantCityArea({ password }: { password: string }) {
  return defineArea({
    name: 'plant-city',
    needs: ['plantStore'],
    provides: ['platform', 'clock', 'sync', 'onOutboxSettled'],
    commands: { 'platform.status': platformCommands['platform.status'], ...syncCommands },
    create({ plantStore }, { config, events, log, systemClock }: RootContext<PlantConfig>) {
      registerSecret(password)
      const platform = new PlatformClient({
        baseUrl: config.platform.baseUrl,
        organ: config.platform.organ,
        username: config.platform.username,
        password,
        requestTimeoutMs: config.platform.requestTimeoutMs,
        onLink: (link) => events.publish('platform.link', link),
        now: systemClock
      })
      const clock = () => platform.correctedNow()
      const settled = new Set<(item: OutboxItem) => void>()
      const sync = new SyncWorker({
        outbox: plantStore.repos.outbox,
        photos: plantStore.repos.photos,
        platform,
        requestTimeoutMs: config.platform.requestTimeoutMs,
        ...config.sync,
        validate: preflightProblems,
        // The plant's journal is its own view (plant.journal), read when shown: no booth-shaped passage to announce.
        onPassageChanged: () => undefined,
        onItemChanged: (item) => settled.forEach((listener) => listener(item)),
        onStatus: (status) => events.publish('sync.status', status),
        log,
        now: clock
      })
      return {
        provides: {
          platform,
          clock,
          sync,
          onOutboxSettled(listener) {
            settled.add(listener)
            return () => settled.delete(listener)
          }
        },
        handlers: {
          'platform.status': () => platform.status(),
          'sync.status': () => sync.status(),
          'sync.now': () => {
            sync.kick()
            return sync.status()
          },
          // What the city refused, fixed and re-sent by an admin at the plant (the booths' uploads end here).
          ...deadLetterHandlers(plantStore.repos.outbox, sync, preflightProblems, clock)
        },
        start: () => sync.start(),
        stop: () => sync.stop()
      }
    }
  })
}
