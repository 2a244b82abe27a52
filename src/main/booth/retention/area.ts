import { defineArea } from '../../core/root/area'
import { RetentionScheduler } from './scheduler'

/** The retention sweep: passages older than `retention.months`, once uploaded, leave with their photo files. */
export const retentionArea = defineArea({
  name: 'retention',
  needs: ['store'],
  provides: [],
  commands: {},
  create({ store }, { config, log }) {
    const retention = new RetentionScheduler({ store, months: config.retention.months, intervalMs: config.retention.sweepIntervalMs, log })
    return { provides: {}, handlers: {}, start: () => retention.start(), stop: () => retention.stop() }
  }
})
