import type { Db } from './db'

export interface InnerVehicle {
  license: string
  licenseColor: string
  /** B7.6 */
  emissionStandard: string
  /** 4.1.7 carStatus: 1 正常, 2 封存, 3 注销. */
  carStatus: string
}

/**
 * What the lane needs of the in-plant vehicle ledger (spec 4.1.7) to decide offline. The ledger itself (every 4.1.7
 * field, images, history, uploads) is kept by the ledger service in the same table (store/ledgers.ts).
 */
export class InnerVehicles {
  constructor(private readonly db: Db) {}

  find(license: string, licenseColor: string): InnerVehicle | null {
    const row = this.db
      .prepare(
        `SELECT license, license_color AS licenseColor, emission_standard AS emissionStandard, car_status AS carStatus
           FROM inner_vehicles WHERE license = ? AND license_color = ?`
      )
      .get(license, licenseColor) as InnerVehicle | undefined
    return row ?? null
  }
}
