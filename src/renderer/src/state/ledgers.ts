import type { InnerVehicleView, LedgerKind, MachineView, VehicleRegistration } from '@shared/contract'

export type CarStatus = '1' | '2' | '3'
export type LedgerImageField = 'drivingLicenseImg' | 'drivingLicenseImg2' | 'imageInfo'

/** A vehicle registration started from a passage ("备案此车"): its plate, colour and id. */
export interface RegistrationPrefill {
  license: string
  licenseColor: string
  passageId: number
}

/** The passage whose goods are entered: from the journal, or from a goods row an admin corrects. */
export interface GoodsPassage {
  passageId: number
  /** Null for goods whose lane is no longer configured: no scale to read then. */
  laneId: string | null
  plate: string
  plateColour: string
  lsh: string
}

/** The ledger dialogs (their own lazily loaded chunk); `row` null means a new row. */
export type LedgerDialog =
  | { kind: 'vehicle'; row: VehicleRegistration | null; prefill?: RegistrationPrefill }
  | { kind: 'innerVehicle'; row: InnerVehicleView | null }
  | { kind: 'machine'; row: MachineView | null }
  | { kind: 'status'; ledger: 'innerVehicles' | 'machines'; id: number; subject: string; status: CarStatus }
  | { kind: 'goods'; passage: GoodsPassage }
  | { kind: 'goodsNames' }
  | { kind: 'history'; ledger: LedgerKind; id: number; subject: string }
  | { kind: 'image'; ledger: LedgerKind; id: number; field: LedgerImageField; subject: string }
  | { kind: 'import'; ledger: LedgerKind }
