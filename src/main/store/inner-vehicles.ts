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
 * The in-plant vehicle ledger (spec 4.1.7), as far as the lane needs it offline. A minimal lookup: the Admin-ledgers
 * work owns the ledger itself and fills this table.
 */
export class InnerVehicles {
  constructor(private readonly db: Db) {}

  put(vehicle: InnerVehicle): void {
    this.db
      .prepare(
        `INSERT INTO inner_vehicles (license, license_color, emission_standard, car_status) VALUES (@license, @licenseColor, @emissionStandard, @carStatus)
         ON CONFLICT (license, license_color) DO UPDATE SET emission_standard = excluded.emission_standard, car_status = excluded.car_status`
      )
      .run(vehicle)
  }

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
