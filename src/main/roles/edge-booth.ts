import { PlantUplinkPlatform, PlantVerifier, plantReplicaArea, type PlantLink } from '../booth/plant-link'
import { singleGate, type SingleGateOptions } from './single-gate'

export interface EdgeBoothOptions extends SingleGateOptions {
  /** The booth's link to its plant (enrolled: pinned certificate, its own credential). */
  plant: PlantLink
}

/**
 * A booth as an edge node of a plant (docs/plant.md): the single gate's areas, but its outbox drains to the plant
 * (which alone talks to the city platform), each gate's records one at a time in recording order, its lanes verify
 * through the plant within their budget, and a replica of what the plant owns follows the plant's change feed, so the
 * lanes decide offline exactly as a standalone booth does. The platform area stays for the commands it serves,
 * without logging in: the plant alone holds the enterprise's token (several logins with one account may invalidate
 * each other's tokens).
 */
export function edgeBooth(options: EdgeBoothOptions) {
  const { plant } = options
  return singleGate(options, {
    store: { recordsInGateOrder: true },
    connectPlatform: false,
    sync: {
      sendVia: (repos) =>
        new PlantUplinkPlatform(
          plant,
          (lsh) => repos.ledgers.passageByLsh(lsh),
          async (id) => (await repos.ledgers.goods(id))?.source ?? null
        )
    },
    verifier: new PlantVerifier(plant)
  }).use(plantReplicaArea(plant))
}

export type EdgeBooth = Awaited<ReturnType<ReturnType<typeof edgeBooth>['start']>>
