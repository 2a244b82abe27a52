import type { DeviceHealthView, reportCommands } from '@shared/contract'
import type { AlarmService } from '../alarms'
import type { EventBus } from '../api/events'
import type { Handlers } from '../api/router'
import type { GateConfig } from '../config'
import { collectHealth, type HealthReport } from '../health'
import type { Log } from '../log'
import { browserPdfPrinter, defaultBrowserPath, ReportService, resolveLocalPlatePrefixes, Statistics, type PdfPrinter } from '../reports'
import type { Repos } from '../repos'
import { DiskGuard } from '../retention'

export interface Operations {
  handlers: Handlers<keyof typeof reportCommands>
  health(): Promise<HealthReport>
  start(): void
  stop(): void
}

/**
 * What keeps a booth running for years, wired for the operations area: statistics and their exports, the
 * disk-space guard (event `storage.status`), and the health report.
 */
export function createOperations(options: {
  config: GateConfig
  repos: Pick<Repos, 'statistics' | 'database' | 'outbox'>
  events: EventBus
  log: Log
  version: string
  printPdf?: PdfPrinter
  /** Every device's health, for the health report. */
  devices: () => DeviceHealthView[]
  /** Raises the guard's alarm when free space falls below the floor (retention.diskCriticalFreeBytes). */
  alarms: Pick<AlarmService, 'diskFull'>
}): Operations {
  const { config, repos, events, log } = options
  const startedAt = Date.now()
  const reports = new ReportService(
    new Statistics(repos.statistics, { localPlatePrefixes: resolveLocalPlatePrefixes(config.enterprise.code, config.reports.localPlatePrefixes), lanes: config.lanes }),
    config.enterprise.name,
    options.printPdf ?? browserPdfPrinter(config.reports.pdfBrowserPath ?? defaultBrowserPath()),
    (laneId) => config.lanes.find((lane) => lane.id === laneId)?.name ?? '未知车道'
  )
  const disk = new DiskGuard({
    dir: config.dataDir,
    warnFreeBytes: config.retention.diskWarnFreeBytes,
    criticalFreeBytes: config.retention.diskCriticalFreeBytes,
    intervalMs: config.retention.diskCheckIntervalMs,
    onChange: (status) => {
      log(`disk: ${status.level}, ${status.freeBytes} bytes free in ${status.dataDir}`)
      events.publish('storage.status', status)
      if (status.level === 'critical') options.alarms.diskFull(status.message)
    }
  })

  return {
    handlers: {
      'stats.daily': (query) => reports.daily(query),
      'stats.export': ({ format, ...query }) => reports.export(query, format),
      'storage.status': () => disk.status()
    },
    health: () =>
      collectHealth({ version: options.version, startedAt, database: repos.database, outbox: repos.outbox, disk: () => disk.status(), devices: options.devices }),
    start() {
      disk.start()
    },
    stop() {
      disk.stop()
      reports.close()
    }
  }
}
