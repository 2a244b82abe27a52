import { ApiFailure, type Handlers } from '../api'

type LedgerCommand =
  | 'goods.record' | 'goods.list' | 'goods.forPassage' | 'goods.weight' | 'goods.names' | 'goods.setNames'
  | 'vehicles.list' | 'vehicles.save' | 'innerVehicles.list' | 'innerVehicles.save' | 'innerVehicles.setStatus'
  | 'machines.list' | 'machines.save' | 'machines.setStatus' | 'ledger.history' | 'ledger.image' | 'ledger.export' | 'ledger.import'

// Placeholder wiring while the ledger service is built (Admin ledgers issue); replaced by the real handlers.
const notYet = (): never => {
  throw new ApiFailure('unavailable', '台账功能尚未接入')
}

export function ledgerHandlers(): Pick<Handlers, LedgerCommand> {
  return {
    'goods.record': notYet, 'goods.list': notYet, 'goods.forPassage': notYet, 'goods.weight': notYet, 'goods.names': notYet,
    'goods.setNames': notYet, 'vehicles.list': notYet, 'vehicles.save': notYet, 'innerVehicles.list': notYet,
    'innerVehicles.save': notYet, 'innerVehicles.setStatus': notYet, 'machines.list': notYet, 'machines.save': notYet,
    'machines.setStatus': notYet, 'ledger.history': notYet, 'ledger.image': notYet, 'ledger.export': notYet, 'ledger.import': notYet
  }
}
