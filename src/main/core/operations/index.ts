import type { CommandName, DeviceHealthView } from '@shared/contract'
import { ApiFailure, type EventBus, type Handlers } from '../api'
import type { GateConfig } from '../config'
import { collectHealth, type HealthReport } from '../health'
import type { Log } from '../log'
import { browserPdfPrinter, defaultBrowserPath, PdfError, ReportService, resolveLocalPlatePrefixes, Statistics, StatisticsRangeError, type PdfPrinter } from '../reports'
import { DiskGuard, RetentionScheduler } from '../retention'
import type { Store } from '../../booth/store'

type OperationsCommand = Extract<CommandName, 'stats.daily' | 'stats.export' | 'storage.status'>

export interface Operations {
  handlers: Pick<Handlers, OperationsCommand>
  health(): Promise<HealthReport>
  start(): void
  stop(): void
}

/**
 * What keeps a booth running for years, wired for the composition root: statistics and their exports, the
 * disk-space guard (event `storage.status`), the retention sweep, and the health report.
 */
export function createOperations(options: {
  config: GateConfig
  store: Store
  events: EventBus
  log: Log
  version: string
  printPdf?: PdfPrinter
  /** Every device's health, for the health report. */
  devices: () => DeviceHealthView[]
}): Operations {
  const { config, store, events, log } = options
  const startedAt = Date.now()
  const reports = new ReportService(
    new Statistics(store.repos.statistics, { localPlatePrefixes: resolveLocalPlatePrefixes(config.enterprise.code, config.reports.localPlatePrefixes), lanes: config.lanes }),
    config.enterprise.name,
    options.printPdf ?? browserPdfPrinter(config.reports.pdfBrowserPath ?? defaultBrowserPath())
  )
  const disk = new DiskGuard({
    dir: config.dataDir,
    warnFreeBytes: config.retention.diskWarnFreeBytes,
    criticalFreeBytes: config.retention.diskCriticalFreeBytes,
    intervalMs: config.retention.diskCheckIntervalMs,
    onChange: (status) => {
      if (status.level !== 'ok') log(`disk: ${status.level}, ${status.freeBytes} bytes free in ${status.dataDir}`)
      events.publish('storage.status', status)
    }
  })
  const retention = new RetentionScheduler({ store, months: config.retention.months, intervalMs: config.retention.sweepIntervalMs, log })

  const asApiFailure = (error: unknown): never => {
    if (error instanceof StatisticsRangeError) throw new ApiFailure('invalid_input', error.message)
    if (error instanceof PdfError) throw new ApiFailure('unavailable', error.message)
    throw error
  }

  return {
    handlers: {
      'stats.daily': (query) => reports.daily(query).catch(asApiFailure),
      'stats.export': ({ format, ...query }) => reports.export(query, format).catch(asApiFailure),
      'storage.status': () => disk.status()
    },
    health: () =>
      collectHealth({ version: options.version, startedAt, database: store.repos.database, outbox: store.repos.outbox, disk: () => disk.status(), devices: options.devices }),
    start() {
      disk.start()
      retention.start()
    },
    stop() {
      retention.stop()
      disk.stop()
    }
  }
}
