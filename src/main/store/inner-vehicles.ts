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

  /** Writes a vehicle's status directly, without a ledger change or an upload (tests and seeding only). */
  put(vehicle: InnerVehicle, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO inner_vehicles (license, license_color, emission_standard, car_status, created_at, updated_at, updated_by)
         VALUES (@license, @licenseColor, @emissionStandard, @carStatus, @now, @now, '')
         ON CONFLICT (license, license_color) DO UPDATE SET emission_standard = excluded.emission_standard, car_status = excluded.car_status,
                                                            updated_at = excluded.updated_at`
      )
      .run({ ...vehicle, now })
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
