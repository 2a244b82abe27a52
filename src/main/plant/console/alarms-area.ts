import { alarmCommands, type Alarm } from '@shared/contract'
import { actorName } from '../../core/api/actor'
import { ApiFailure } from '../../core/api/errors'
import { defineArea, type RootContext } from '../../core/root/area'
import { isoOf, isoOrNull } from '../../core/time'
import { plantAlarms, type PlantConfig } from '../config'
import type { PlantAlarmRow } from '../store'

/**
 * The plant's alarms (docs/plant.md): 车辆滞留 across gates. A vehicle whose latest passage through a raised arm, at
 * any gate, is an entry older than `alarms.dwellMinutes` raises one alarm (B7.5 09) for that entry; it is resolved
 * when the vehicle leaves (or its next entry shows the exit was missed), acknowledged or not. Checked every
 * `alarms.checkIntervalMs`; the same list and acknowledgement commands as a booth's alarms.
 */
export const plantAlarmsArea = defineArea({
  name: 'plant-alarms',
  needs: ['plantStore', 'clock'],
  provides: [],
  commands: alarmCommands,
  create({ plantStore, clock }, { config, events, log }: RootContext<PlantConfig>) {
    const repo = plantStore.console
    const { dwellMinutes, checkIntervalMs } = plantAlarms(config)
    let timer: NodeJS.Timeout | null = null
    let checking: Promise<void> | null = null

    async function check(): Promise<void> {
      const now = clock()
      for (const resolved of await repo.resolveLeft(now)) events.publish('alarm.updated', alarmView(resolved))
      for (const entry of await repo.overstays(now - dwellMinutes * 60_000, 200)) {
        const hours = ((now - entry.enteredAt) / 3_600_000).toFixed(1)
        // The alarm list shows the plate beside the message.
        const raised = await repo.raiseDwell(entry, `自 ${entry.gateCode} 号门进厂已 ${hours} 小时，超过 ${dwellMinutes} 分钟仍未出厂`, now)
        if (raised) events.publish('alarm.raised', alarmView(raised))
      }
    }
    // One check at a time: a slow database does not pile them up.
    const tick = () => {
      checking ??= check()
        .catch((error: unknown) => log(`plant dwell check failed: ${(error as Error).message}`))
        .finally(() => (checking = null))
    }

    return {
      provides: {},
      handlers: {
        'alarms.list': async ({ limit, openOnly }) => (await repo.alarms(limit, openOnly)).map(alarmView),
        'alarms.ack': async ({ id, note }, { actor }) => {
          const alarm = await repo.acknowledge(id, actorName(actor), note, clock())
          if (!alarm) throw new ApiFailure('not_found', `告警 ${id} 不存在`)
          events.publish('alarm.updated', alarmView(alarm))
          return alarmView(alarm)
        }
      },
      start() {
        tick()
        timer = setInterval(tick, checkIntervalMs)
        timer.unref()
      },
      async stop() {
        if (timer) clearInterval(timer)
        await checking
      }
    }
  }
})

function alarmView(row: PlantAlarmRow): Alarm {
  return {
    id: row.id,
    kind: row.kind,
    laneId: null,
    plate: row.plate,
    message: row.message,
    raisedAt: isoOf(row.raisedAt),
    acknowledgedAt: isoOrNull(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    note: row.note,
    warningType: row.warningType,
    resolvedAt: isoOrNull(row.resolvedAt),
    passageId: null
  }
}
