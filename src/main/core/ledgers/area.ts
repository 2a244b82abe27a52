import { ledgerCommands } from '@shared/contract'
import type { EventBus } from '../api/events'
import type { Log } from '../log'
import type { FilingEnterprise } from '../platform/records'
import type { SharedRepos } from '../repos'
import { defineArea, type AreaParts, type Provided, type RootContext } from '../root/area'
import { innerVehicleView, LedgerService, machineView, vehicleView, type WeighbridgeReader } from './service'

/**
 * The admin ledgers (台账): goods of a passage, vehicle registrations, in-plant vehicles, machines. Each change is
 * checked by pre-flight, written with its history and outbox row, and follows its upload to the platform.
 */
export const ledgersArea = defineArea({
  name: 'ledgers',
  needs: ['sharedRepos', 'clock', 'laneDevices', 'sync', 'onOutboxSettled'],
  provides: [],
  commands: ledgerCommands,
  create(needs, { config, events, log, demo }) {
    return ledgerParts(needs, { enterprise: config.enterprise, scaleOf: (laneId) => needs.laneDevices.get(laneId)?.scale, events, log, demo })
  }
})

/**
 * The same ledgers at the plant (docs/plant.md), which owns them: the enterprise from plant.json, no lanes and so no
 * weighbridge to read; each change also goes down the feed to every booth (the plant's ledger repo).
 */
export function enterpriseLedgersArea(enterprise: FilingEnterprise) {
  return defineArea({
    name: 'ledgers',
    needs: ['sharedRepos', 'clock', 'sync', 'onOutboxSettled'],
    provides: [],
    commands: ledgerCommands,
    create(needs, { events, log, demo }: RootContext<unknown>) {
      return ledgerParts(needs, { enterprise, scaleOf: () => null, events, log, demo })
    }
  })
}

function ledgerParts(
  { sharedRepos, clock, sync, onOutboxSettled }: { sharedRepos: SharedRepos } & Pick<Provided, 'clock' | 'sync' | 'onOutboxSettled'>,
  { enterprise, scaleOf, events, log, demo }: { enterprise: FilingEnterprise; scaleOf: (laneId: string) => WeighbridgeReader | null | undefined; events: EventBus; log: Log; demo: boolean }
): AreaParts<never, keyof typeof ledgerCommands> {
  const ledgers = new LedgerService({
    repo: sharedRepos.ledgers,
    enterprise,
    now: clock,
    scaleOf,
    onChanged: (ledger, id) => events.publish('ledger.changed', { ledger, id }),
    onQueued: () => sync.kick(),
    demo
  })
  const stopFollowing = onOutboxSettled((item) => void ledgers.outboxSettled(item).catch((error: unknown) => log(`ledger upload state not published: ${(error as Error).message}`)))
  return {
    provides: {},
    handlers: {
      'goods.record': (input, { actor }) => ledgers.recordGoods(input, actor),
      'goods.list': (query) => ledgers.goodsPage(query),
      'goods.forPassage': ({ passageId }) => ledgers.goodsForPassage(passageId),
      'goods.weight': ({ laneId }) => ledgers.weight(laneId),
      'goods.names': () => ledgers.goodsNames(),
      'goods.setNames': ({ names }) => ledgers.setGoodsNames(names),
      'vehicles.list': async (query) => {
        const page = await ledgers.page('vehicles', query)
        return { rows: page.rows.map(vehicleView), total: page.total }
      },
      'vehicles.save': async (input, { actor }) => vehicleView(await ledgers.save('vehicles', input, actor)),
      'innerVehicles.list': async (query) => {
        const page = await ledgers.page('innerVehicles', query)
        return { rows: page.rows.map(innerVehicleView), total: page.total }
      },
      'innerVehicles.save': async (input, { actor }) => innerVehicleView(await ledgers.save('innerVehicles', input, actor)),
      'innerVehicles.setStatus': async (input, { actor }) => innerVehicleView(await ledgers.setStatus('innerVehicles', input, actor)),
      'machines.list': async ({ mhyPlate, ...query }) => {
        const page = await ledgers.page('machines', { ...query, plate: mhyPlate })
        return { rows: page.rows.map(machineView), total: page.total }
      },
      'machines.save': async (input, { actor }) => machineView(await ledgers.save('machines', input, actor)),
      'machines.setStatus': async (input, { actor }) => machineView(await ledgers.setStatus('machines', input, actor)),
      'ledger.history': ({ ledger, id }) => ledgers.history(ledger, id),
      'ledger.image': async ({ ledger, id, field }) => ({ jpegBase64: (await ledgers.image(ledger, id, field)).toString('base64') }),
      // exceljs takes ~0.7 s to load: with the first export or import, not at the booth's start.
      'ledger.export': async ({ ledger, plate }) => (await import('./excel')).exportLedger(ledgers, ledger, plate),
      'ledger.import': async ({ ledger, base64 }, { actor }) => (await import('./excel')).importLedger(ledgers, ledger, Buffer.from(base64, 'base64'), actor)
    },
    stop: () => stopFollowing()
  }
}
