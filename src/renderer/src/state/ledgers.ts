import type { InnerVehicleView, LedgerKind, MachineView, Passage, VehicleRegistration } from '@shared/contract'

export type CarStatus = '1' | '2' | '3'
export type LedgerImageField = 'drivingLicenseImg' | 'drivingLicenseImg2' | 'imageInfo'

/** A vehicle registration started from a passage ("备案此车"): its plate, colour and id. */
export interface RegistrationPrefill {
  license: string
  licenseColor: string
  passageId: number
}

/** The ledger dialogs (their own lazily loaded chunk); `row` null means a new row. */
export type LedgerDialog =
  | { kind: 'vehicle'; row: VehicleRegistration | null; prefill?: RegistrationPrefill }
  | { kind: 'innerVehicle'; row: InnerVehicleView | null }
  | { kind: 'machine'; row: MachineView | null }
  | { kind: 'status'; ledger: 'innerVehicles' | 'machines'; id: number; subject: string; status: CarStatus }
  | { kind: 'goods'; passage: Passage }
  | { kind: 'goodsNames' }
  | { kind: 'history'; ledger: LedgerKind; id: number; subject: string }
  | { kind: 'image'; ledger: LedgerKind; id: number; field: LedgerImageField; subject: string }
  | { kind: 'import'; ledger: LedgerKind }
