import { ApiFailure, type Handlers } from '../api'
import { exportLedger, importLedger } from './excel'
import { innerVehicleView, LedgerInputError, LedgerRefusal, LedgerService, machineView, vehicleView } from './service'

export { LedgerService, type LedgerServiceOptions } from './service'
export { diff, entityChanges, type FieldChanges } from './changes'
export { ENTITY_LEDGERS, ledgerChain, LEDGER_KINDS, type EntityLedger, type EntityLedgerDef } from './fields'
export type * from './repo'

type LedgerCommand =
  | 'goods.record' | 'goods.list' | 'goods.forPassage' | 'goods.weight' | 'goods.names' | 'goods.setNames'
  | 'vehicles.list' | 'vehicles.save' | 'innerVehicles.list' | 'innerVehicles.save' | 'innerVehicles.setStatus'
  | 'machines.list' | 'machines.save' | 'machines.setStatus' | 'ledger.history' | 'ledger.image' | 'ledger.export' | 'ledger.import'

/** The service's refusals as the API's: field problems become `invalid_input` with one issue per spec field. */
async function answer<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof LedgerInputError) {
      throw new ApiFailure('invalid_input', error.message, error.problems.map((problem) => ({ path: problem.field, message: problem.message })))
    }
    if (error instanceof LedgerRefusal) throw new ApiFailure(error.code, error.message)
    throw error
  }
}

export function ledgerHandlers(ledgers: LedgerService): Pick<Handlers, LedgerCommand> {
  return {
    'goods.record': (input, { actor }) => answer(() => ledgers.recordGoods(input, actor)),
    'goods.list': (query) => ledgers.goodsPage(query),
    'goods.forPassage': ({ passageId }) => ledgers.goodsForPassage(passageId),
    'goods.weight': ({ laneId }) => answer(() => ledgers.weight(laneId)),
    'goods.names': () => ledgers.goodsNames(),
    'goods.setNames': ({ names }) => ledgers.setGoodsNames(names),
    'vehicles.list': async (query) => {
      const page = await ledgers.page('vehicles', query)
      return { rows: page.rows.map(vehicleView), total: page.total }
    },
    'vehicles.save': (input, { actor }) => answer(async () => vehicleView(await ledgers.save('vehicles', input, actor))),
    'innerVehicles.list': async (query) => {
      const page = await ledgers.page('innerVehicles', query)
      return { rows: page.rows.map(innerVehicleView), total: page.total }
    },
    'innerVehicles.save': (input, { actor }) => answer(async () => innerVehicleView(await ledgers.save('innerVehicles', input, actor))),
    'innerVehicles.setStatus': (input, { actor }) => answer(async () => innerVehicleView(await ledgers.setStatus('innerVehicles', input, actor))),
    'machines.list': async ({ mhyPlate, ...query }) => {
      const page = await ledgers.page('machines', { ...query, plate: mhyPlate })
      return { rows: page.rows.map(machineView), total: page.total }
    },
    'machines.save': (input, { actor }) => answer(async () => machineView(await ledgers.save('machines', input, actor))),
    'machines.setStatus': (input, { actor }) => answer(async () => machineView(await ledgers.setStatus('machines', input, actor))),
    'ledger.history': ({ ledger, id }) => ledgers.history(ledger, id),
    'ledger.image': ({ ledger, id, field }) => answer(async () => ({ jpegBase64: (await ledgers.image(ledger, id, field)).toString('base64') })),
    'ledger.export': ({ ledger, plate }) => exportLedger(ledgers, ledger, plate),
    'ledger.import': ({ ledger, base64 }, { actor }) => answer(() => importLedger(ledgers, ledger, Buffer.from(base64, 'base64'), actor))
  }
}
