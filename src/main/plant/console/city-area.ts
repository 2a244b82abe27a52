import { platformCommands, syncCommands } from '@shared/contract'
import { PlatformClient, preflightProblems } from '../../core/platform'
import { registerSecret } from '../../core/log'
import { defineArea, type RootContext } from '../../core/root/area'
import { SyncWorker } from '../../core/sync'
import { syncWorkerParts } from '../../core/sync/area'
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
      // What the city refused ends in the dead letters here, for an admin at the plant to fix and send again.
      const { sync, provides, handlers } = syncWorkerParts(plantStore.repos.outbox, preflightProblems, clock, (onItemChanged) =>
        new SyncWorker({
          outbox: plantStore.repos.outbox,
          photos: plantStore.repos.photos,
          platform,
          requestTimeoutMs: config.platform.requestTimeoutMs,
          ...config.sync,
          validate: preflightProblems,
          // The plant's journal is its own view (plant.journal), read when shown: no booth-shaped passage to announce.
          onPassageChanged: () => undefined,
          onItemChanged,
          onStatus: (status) => events.publish('sync.status', status),
          log,
          now: clock
        })
      )
      return {
        provides: { ...provides, platform, clock },
        handlers: { ...handlers, 'platform.status': () => platform.status() },
        start: () => sync.start(),
        stop: () => sync.stop()
      }
    }
  })
}
