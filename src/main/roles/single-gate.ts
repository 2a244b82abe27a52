import { cameraArea } from '../booth/devices/camera/area'
import { devicesArea } from '../booth/devices/area'
import { lprIngressArea } from '../booth/ingress/area'
import { lanesArea } from '../booth/lane/area'
import { laneSettingsArea } from '../booth/lane-settings/area'
import { passagesArea } from '../booth/passages/area'
import { retentionArea } from '../booth/retention/area'
import { storeArea } from '../booth/store/area'
import { alarmsArea } from '../core/alarms/area'
import { appInfoArea } from '../core/app-info/area'
import { auditArea } from '../core/audit/area'
import { authArea } from '../core/auth/area'
import type { GateConfig } from '../core/config'
import { ledgersArea } from '../core/ledgers/area'
import { ocrArea } from '../core/ocr/area'
import type { Log } from '../core/log'
import { operationsArea } from '../core/operations/area'
import { platformArea } from '../core/platform/area'
import { policyArea } from '../core/policy/area'
import type { PdfPrinter } from '../core/reports'
import type { StoreOptions } from '../booth/store'
import type { StartupOptions } from '../booth/store/startup'
import type { VehicleVerifier } from '../booth/lane/verify'
import { createRoot } from '../core/root'
import { syncArea, type SyncAreaOptions } from '../core/sync/area'
import { videoArea } from '../booth/video/area'

export interface SingleGateOptions {
  config: GateConfig
  /** The platform password, from the environment or the OS key store; never from the config file. */
  platformPassword: string
  version: string
  demo: boolean
  log: Log
  /** Secrets by environment-variable name (demo mode); the real environment otherwise. */
  secrets?: Record<string, string>
  /** How PDF reports are printed; default: a headless Chromium-family browser (config reports.pdfBrowserPath). */
  printPdf?: PdfPrinter
  /** What the admin accepted at start (--accept-empty-database, --accept-missing-wal); see core/retention/startup.ts. */
  startup?: Omit<StartupOptions, 'log'>
}

/** What a booth as a plant's edge node does differently (roles/edge-booth.ts); the default is the standalone gate. */
export interface GateVariant {
  store?: StoreOptions
  /** Log in to the city platform (false: the plant alone holds the enterprise's token). */
  connectPlatform?: boolean
  sync?: SyncAreaOptions
  /** Who verifies plates (default: the city platform client). */
  verifier?: VehicleVerifier
}

/**
 * One gate with everything in one process (the booth PC): its lanes, cameras and devices, and the records, uploads
 * and administration a plant server would otherwise keep. What `npm start` and the headless host run. The areas in
 * order; each needs only what an area above it provides.
 */
export function singleGate({ config, platformPassword, version, demo, log, secrets, printPdf, startup }: SingleGateOptions, variant: GateVariant = {}) {
  return createRoot({ config, log, version, demo })
    .use(storeArea(variant.store, startup))
    .use(platformArea({ password: platformPassword, connect: variant.connectPlatform ?? true }))
    .use(auditArea)
    .use(syncArea(variant.sync))
    .use(alarmsArea)
    .use(devicesArea)
    .use(cameraArea({ secrets }))
    .use(lanesArea(variant.verifier ? { verifier: variant.verifier } : {}))
    .use(lprIngressArea({ secrets }))
    .use(passagesArea)
    .use(videoArea({ secrets }))
    .use(policyArea)
    .use(ledgersArea)
    .use(authArea)
    .use(operationsArea({ printPdf }))
    .use(retentionArea)
    .use(appInfoArea)
    .use(laneSettingsArea)
    .use(ocrArea())
}

export type SingleGate = Awaited<ReturnType<ReturnType<typeof singleGate>['start']>>

/** Starts the single-gate role; its router and event bus are what the transports (IPC, HTTP+WebSocket) attach to. */
export async function startSingleGate(options: SingleGateOptions): Promise<SingleGate> {
  const gate = await singleGate(options).start()
  options.log(`booth ready: ${options.config.lanes.length} lane(s), data in ${options.config.dataDir}, lpr push at ${gate.lpr.url}/lpr/{laneId}`)
  return gate
}
