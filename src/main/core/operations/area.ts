import { reportCommands, type DeviceHealthView } from '@shared/contract'
import type { HealthReport } from '../health'
import type { PdfPrinter } from '../reports'
import { defineArea } from '../root/area'
import { createOperations } from '.'

declare module '../root/area' {
  interface Provided {
    /** Version, uptime, database, disk, outbox backlog and devices, for GET /health. */
    health: () => Promise<HealthReport>
    /** Every device's health as the guard sees it (the booth's devices area provides it). */
    deviceHealth: () => DeviceHealthView[]
  }
}

/** Statistics and their exports, the disk-space guard and the health report. */
export function operationsArea({ printPdf }: { printPdf?: PdfPrinter } = {}) {
  return defineArea({
    name: 'operations',
    needs: ['repos', 'deviceHealth', 'alarms'],
    provides: ['health'],
    commands: reportCommands,
    create({ repos, deviceHealth, alarms }, { config, events, log, version }) {
      const operations = createOperations({ config, repos, events, log, version, printPdf, alarms, devices: deviceHealth })
      return {
        provides: { health: operations.health },
        handlers: operations.handlers,
        start: () => operations.start(),
        stop: () => operations.stop()
      }
    }
  })
}
