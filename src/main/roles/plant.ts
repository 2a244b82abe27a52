import { join } from 'node:path'
import { startHttpHost, type HttpHost } from '../core/api'
import { auditArea } from '../core/audit/area'
import { authArea } from '../core/auth/area'
import { enterpriseLedgersArea } from '../core/ledgers/area'
import { AddressList, isLoopbackAddress } from '../core/http/address'
import type { Log } from '../core/log'
import { policyArea } from '../core/policy/area'
import { createRoot } from '../core/root'
import type { SyncWorker } from '../core/sync'
import { plantEnterprise, type PlantConfig } from '../plant/config'
import { plantAlarmsArea, plantAppInfoArea, plantCityArea, plantExportsArea, plantHealthArea, plantLaneSettingsArea, plantStoreArea, plantViewsArea } from '../plant/console'
import type { PlantStore } from '../plant/store'
import { plantCertificate } from '../plant/tls'
import { uplinkHandler } from '../plant/uplink/server'

export interface PlantOptions {
  config: PlantConfig
  platformPassword: string
  databasePassword?: string | undefined
  log: Log
  version?: string
  /** The built renderer (out/renderer), served as the admin workspace; absent: the API and the booths' uplink only. */
  rendererDir?: string | undefined
}

/**
 * The plant's areas in order (docs/plant.md): PostgreSQL, the city-platform client and the sync worker on the plant's
 * outbox (the only sender to the city), then what the booth's admin workspace serves, on the plant's repos — audit,
 * users and login, control measures and lists, the ledgers (which also go down the feed) — and the plant's own:
 * the enterprise views and booths, the dwell alarms, the app info saying it is the plant, the photos and statistics
 * exports, and GET /health.
 */
export function plant({ config, platformPassword, databasePassword, log, version = 'plant', fingerprint }: PlantOptions & { fingerprint: string }) {
  return createRoot<PlantConfig>({ config, log, version, demo: false })
    .use(plantStoreArea({ databasePassword }))
    .use(plantCityArea({ password: platformPassword }))
    .use(auditArea)
    .use(authArea)
    .use(policyArea)
    .use(enterpriseLedgersArea(plantEnterprise(config)))
    .use(plantViewsArea({ fingerprint }))
    .use(plantAlarmsArea)
    .use(plantLaneSettingsArea)
    .use(plantAppInfoArea)
    .use(plantExportsArea())
    .use(plantHealthArea)
}

export type PlantRoot = Awaited<ReturnType<ReturnType<typeof plant>['start']>>

export interface Plant {
  store: PlantStore
  sync: SyncWorker
  root: PlantRoot
  /** The plant's one HTTPS port: the admin workspace and its API for browsers, and the booths' uplink under /plant/. */
  uplink: Pick<HttpHost, 'url' | 'port'>
  /** The certificate's SHA-256, which booths pin at enrolment. */
  fingerprint: string
  close(): Promise<void>
}

/**
 * Starts the plant: its areas, then one HTTPS host on `listen` serving the same typed API and event socket as the
 * booth's host (login, roles, session cookie — `Secure` here), the built workspace, and the booths' uplink
 * (enrolment, passages and photos up, verification, the change feed; each booth by its own credential).
 */
export async function startPlant(options: PlantOptions): Promise<Plant> {
  const { config, log } = options
  const certificate = await plantCertificate(join(config.dataDir, 'tls'))
  const monitors = new AddressList(config.health?.allow ?? [])
  const root = await plant({ ...options, fingerprint: certificate.fingerprint }).start()
  try {
    const store = root.plantStore
    const host = await startHttpHost({
      host: config.listen.host,
      port: config.listen.port,
      router: root.router,
      events: root.events,
      sessions: root.sessions,
      rendererDir: options.rendererDir,
      health: root.health,
      healthFrom: (address) => isLoopbackAddress(address) || monitors.has(address),
      tls: { key: certificate.key, cert: certificate.cert },
      passThrough: {
        prefix: '/plant/',
        handle: uplinkHandler({
          store,
          photosDir: join(config.dataDir, 'photos'),
          clock: root.clock,
          log,
          verify: (plate, colour, timeoutMs) => root.platform.checkVehicle(plate, colour, timeoutMs)
        })
      }
    })
    let closing: Promise<void> | null = null
    return {
      store,
      sync: root.sync,
      root,
      uplink: host,
      fingerprint: certificate.fingerprint,
      close: () =>
        (closing ??= (async () => {
          await host.close().catch((error: unknown) => log(`plant host did not stop cleanly: ${String(error)}`))
          await root.close()
        })())
    }
  } catch (error) {
    await root.close()
    throw error
  }
}
