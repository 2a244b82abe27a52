import { reportCommands } from '@shared/contract'
import type { HealthReport } from '../health'
import type { PdfPrinter } from '../reports'
import { healthView } from '../../booth/devices/registry'
import { defineArea } from '../root/area'
import { createOperations } from '.'

declare module '../root/area' {
  interface Provided {
    /** Version, uptime, database, disk, outbox backlog and devices, for GET /health. */
    health: () => Promise<HealthReport>
  }
}

/** Statistics and their exports, the disk-space guard, the retention sweep and the health report. */
export function operationsArea({ printPdf }: { printPdf?: PdfPrinter } = {}) {
  return defineArea({
    name: 'operations',
    needs: ['store', 'devices', 'alarms'],
    provides: ['health'],
    commands: reportCommands,
    create({ store, devices, alarms }, { config, events, log, version }) {
      const operations = createOperations({ config, store, events, log, version, printPdf, alarms, devices: () => devices.list().map(healthView) })
      return {
        provides: { health: operations.health },
        handlers: operations.handlers,
        start: () => operations.start(),
        stop: () => operations.stop()
      }
    }
  })
}
