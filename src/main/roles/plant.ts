import { join } from 'node:path'
import type { Log } from '../core/log'
import { PlatformClient, preflightProblems } from '../core/platform'
import { SyncWorker } from '../core/sync'
import type { PlantConfig } from '../plant/config'
import { openPlantStore, type PlantStore } from '../plant/store'
import { plantCertificate } from '../plant/tls'
import { AuditLog } from '../core/audit'
import { consoleHandler } from '../plant/console/api'
import { startUplink, type Uplink } from '../plant/uplink/server'

export interface PlantOptions {
  config: PlantConfig
  platformPassword: string
  databasePassword?: string | undefined
  log: Log
}

export interface Plant {
  store: PlantStore
  sync: SyncWorker
  uplink: Uplink
  /** The certificate's SHA-256, which booths pin at enrolment. */
  fingerprint: string
  close(): Promise<void>
}

/**
 * The plant (docs/plant.md): PostgreSQL, the city-platform client and the sync worker on the plant's outbox (the only
 * sender to the city), and the booths' uplink (enrolment, passages and photos up, verification, the change feed down) with the admin
 * console for browsers on the LAN on the same HTTPS port (/console). Started in
 * this order, stopped in reverse. The areas' root builder takes a booth config today; the plant's parts are put
 * together here until it takes a plant config too.
 */
export async function startPlant({ config, platformPassword, databasePassword, log }: PlantOptions): Promise<Plant> {
  const photosDir = join(config.dataDir, 'photos')
  const store = await openPlantStore({ connectionString: config.database.url, password: databasePassword, photosDir })
  const stops: (() => Promise<void>)[] = [() => store.close()]
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`plant did not stop cleanly: ${String(error)}`))
  }
  try {
    const platform = new PlatformClient({
      baseUrl: config.platform.baseUrl,
      organ: config.platform.organ,
      username: config.platform.username,
      password: platformPassword,
      requestTimeoutMs: config.platform.requestTimeoutMs
    })
    const clock = () => platform.correctedNow()
    const sync = new SyncWorker({
      outbox: store.repos.outbox,
      photos: store.repos.photos,
      platform,
      requestTimeoutMs: config.platform.requestTimeoutMs,
      ...config.sync,
      validate: preflightProblems,
      onPassageChanged: () => undefined,
      onStatus: () => undefined,
      log,
      now: clock
    })
    const certificate = await plantCertificate(join(config.dataDir, 'tls'))
    const uplink = await startUplink({
      store,
      certificate,
      photosDir,
      host: config.listen.host,
      port: config.listen.port,
      clock,
      log,
      verify: (plate, colour, timeoutMs) => platform.checkVehicle(plate, colour, timeoutMs),
      console: consoleHandler({ store, audit: new AuditLog(store.repos.audit, clock), fingerprint: certificate.fingerprint, clock })
    })
    stops.push(() => uplink.close())
    await sync.start()
    stops.push(() => sync.stop())
    return { store, sync, uplink, fingerprint: certificate.fingerprint, close: stopAll }
  } catch (error) {
    await stopAll()
    throw error
  }
}
