import { cameraArea } from '../booth/devices/camera/area'
import { devicesArea } from '../booth/devices/area'
import { lprIngressArea } from '../booth/ingress/area'
import { laneSettingsArea } from '../booth/lane-settings/area'
import { lanesArea } from '../booth/lane/area'
import { passagesArea } from '../booth/passages/area'
import { PlantUplinkPlatform, PlantVerifier, plantReplicaArea, type PlantLink } from '../booth/plant-link'
import { retentionArea } from '../booth/retention/area'
import { storeArea } from '../booth/store/area'
import { videoArea } from '../booth/video/area'
import { alarmsArea } from '../core/alarms/area'
import { appInfoArea } from '../core/app-info/area'
import { auditArea } from '../core/audit/area'
import { authArea } from '../core/auth/area'
import { ledgersArea } from '../core/ledgers/area'
import { ocrArea } from '../core/ocr/area'
import { operationsArea } from '../core/operations/area'
import { platformArea } from '../core/platform/area'
import { policyArea } from '../core/policy/area'
import { createRoot } from '../core/root'
import { syncArea } from '../core/sync/area'
import type { SingleGateOptions } from './single-gate'

export interface EdgeBoothOptions extends SingleGateOptions {
  /** The booth's link to its plant (enrolled: pinned certificate, its own credential). */
  plant: PlantLink
}

/**
 * A booth as an edge node of a plant (docs/plant.md): the single gate's areas, but its outbox drains to the plant
 * (which alone talks to the city platform), its lanes verify through the plant within their budget, and a replica of
 * what the plant owns follows the plant's change feed, so the lanes decide offline exactly as a standalone booth
 * does. The platform area stays for the commands it serves, without logging in: the plant alone holds the
 * enterprise's token (several logins with one account may invalidate each other's tokens).
 */
export function edgeBooth({ config, platformPassword, version, demo, log, secrets, printPdf, startup, plant }: EdgeBoothOptions) {
  return createRoot({ config, log, version, demo })
    .use(storeArea({ recordsInGateOrder: true }, startup))
    .use(platformArea({ password: platformPassword, connect: false }))
    .use(auditArea)
    .use(syncArea({ sendVia: (repos) => new PlantUplinkPlatform(plant, (lsh) => repos.ledgers.passageByLsh(lsh)) }))
    .use(alarmsArea)
    .use(devicesArea)
    .use(cameraArea({ secrets }))
    .use(lanesArea({ verifier: new PlantVerifier(plant) }))
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
    .use(plantReplicaArea(plant))
}

export type EdgeBooth = Awaited<ReturnType<ReturnType<typeof edgeBooth>['start']>>
