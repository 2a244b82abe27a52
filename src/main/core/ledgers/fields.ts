import type { LedgerKind } from '@shared/contract'
import { MACHINE_FIELDS, VEHICLE_FIELDS } from '../platform'
import type { OutboxKind } from '../sync'

/** The ledgers kept as one row per vehicle or machine (goods rows belong to passages instead). */
export type EntityLedger = 'vehicles' | 'innerVehicles' | 'machines'

export interface EntityLedgerDef {
  /** The spec fields kept as text, in the record builder's order (core/platform/records.ts). */
  fields: readonly string[]
  /** The image fields (spec names), each kept as a picture on file. */
  images: readonly string[]
  /** The spec fields that identify a row (unique together). */
  key: readonly string[]
  /** The spec field searched by prefix. */
  plateField: string
  statusField: string | null
}

const VEHICLE_IMAGES = ['drivingLicenseImg', 'drivingLicenseImg2'] as const

/**
 * What each entity ledger keeps, spelled once from the record builder's field lists: the store derives its columns
 * from these names, the service its checks and the Excel layout its columns.
 */
export const ENTITY_LEDGERS: Record<EntityLedger, EntityLedgerDef> = {
  vehicles: { fields: VEHICLE_FIELDS, images: VEHICLE_IMAGES, key: ['license', 'licenseColor'], plateField: 'license', statusField: null },
  innerVehicles: { fields: [...VEHICLE_FIELDS, 'carStatus'], images: VEHICLE_IMAGES, key: ['license', 'licenseColor'], plateField: 'license', statusField: 'carStatus' },
  machines: { fields: MACHINE_FIELDS, images: ['imageInfo'], key: ['mhyPlate'], plateField: 'mhyPlate', statusField: 'mhyStatus' }
}

/** The spec interface each ledger uploads through. */
export const LEDGER_KINDS: Record<LedgerKind, OutboxKind> = {
  goods: 'shareGoodsRecord',
  vehicles: 'shareVehInfo',
  innerVehicles: 'shareInnerVehInfo',
  machines: 'shareInnerMHYElec'
}

/** The outbox chain of one ledger row: its changes go to the platform in the order they were made. */
export function ledgerChain(ledger: LedgerKind, id: number): string {
  return `${ledger}:${id}`
}
