import { platformCommands } from '@shared/contract'
import { registerSecret } from '../log'
import { defineArea } from '../root/area'
import type { Clock } from '../time'
import { PlatformClient } from './client'

declare module '../root/area' {
  interface Provided {
    platform: PlatformClient
    /** The booth clock corrected by the city platform's: every record, upload, alarm and timeout runs on it. */
    clock: Clock
  }
}

/** The city platform: its client (login, verification, uploads) and the corrected clock everything else stamps with. */
/** `connect: false`: no login at start (an edge booth: its plant alone holds the enterprise's token, docs/plant.md). */
export function platformArea({ password, connect = true }: { password: string; connect?: boolean }) {
  return defineArea({
    name: 'platform',
    needs: [],
    provides: ['platform', 'clock'],
    commands: platformCommands,
    create(_needs, { config, log, events, systemClock }) {
      registerSecret(password)
      let probeTimer: NodeJS.Timeout | null = null
      const platform = new PlatformClient({
        baseUrl: config.platform.baseUrl,
        organ: config.platform.organ ?? config.enterprise.code,
        username: config.platform.username,
        password,
        requestTimeoutMs: config.platform.requestTimeoutMs,
        wire: config.platform.wire,
        onLink: (link) => events.publish('platform.link', link),
        onClock: (clock) => {
          if (clock.skewed) log(`booth clock is off by ${Math.round(clock.offsetMs / 1000)} s against the city platform`)
          events.publish('platform.clock', clock)
        },
        now: systemClock
      })
      return {
        provides: { platform, clock: () => platform.correctedNow() },
        handlers: { 'platform.status': () => platform.status() },
        start() {
          if (!connect) return
          void platform.connect().then((outcome) => {
            if (outcome.kind !== 'ok') log(`city platform not reachable at start: ${outcome.reason}`)
          })
          const every = config.platform.probeIntervalMs
          // A platform going down shows within one interval plus the probe's timeout, even with no truck and no upload.
          if (every > 0) probeTimer = setInterval(() => void platform.probe(Math.min(1_000, config.platform.requestTimeoutMs), every), every)
        },
        stop() {
          if (probeTimer) clearInterval(probeTimer)
        }
      }
    }
  })
}
