import { alarmCommands } from '@shared/contract'
import { ApiFailure } from '../api/errors'
import { defineArea } from '../root/area'
import { AlarmService } from './service'

declare module '../root/area' {
  interface Provided {
    alarms: AlarmService
  }
}

/** How often overstaying trucks are looked for. */
const DWELL_CHECK_MS = 60_000

/**
 * The guard's alarms: raised by the lanes and the devices, and here from the news of other areas (the platform's
 * clock, the upload backlog); listed and acknowledged by the guard.
 */
export const alarmsArea = defineArea({
  name: 'alarms',
  needs: ['repos', 'clock'],
  provides: ['alarms'],
  commands: alarmCommands,
  create({ repos, clock }, { config, events, log }) {
    const timing = config.laneTiming
    const alarms = new AlarmService({
      store: repos.alarms,
      dwellAlarmMinutes: timing.dwellAlarmMinutes,
      repeatedRefusals: timing.repeatedRefusals,
      repeatedRefusalWindowMinutes: timing.repeatedRefusalWindowMinutes,
      deviceOfflineAlarmMs: timing.deviceOfflineAlarmMs,
      onRaised: (alarm) => events.publish('alarm.raised', alarm),
      onUpdated: (alarm) => events.publish('alarm.updated', alarm),
      log,
      now: clock
    })
    const unsubscribe = [
      events.on('platform.clock', (platformClock) => {
        if (platformClock.skewed) alarms.clockSkew(platformClock.offsetMs)
      }),
      events.on('sync.status', (status) => alarms.syncBacklog(status, config.sync.backlogAlarmMinutes))
    ]
    return {
      provides: { alarms },
      handlers: {
        'alarms.list': ({ limit, openOnly }) => alarms.list(limit, openOnly),
        'alarms.ack': ({ id, note }, context) => {
          const alarm = alarms.acknowledge(id, note, context.actor)
          if (!alarm) throw new ApiFailure('not_found', `告警 ${id} 不存在`)
          return alarm
        }
      },
      start: () => alarms.start(DWELL_CHECK_MS),
      stop() {
        unsubscribe.forEach((stop) => stop())
        alarms.stop()
      }
    }
  }
})
