import type { LedgerKind } from '@shared/contract'
import { entityChanges, type FieldChanges } from '../../core/ledgers/changes'
import { ledgerChain, LEDGER_KINDS } from '../../core/ledgers/fields'
import type { ChangeMeta, EntityWrite, GoodsWrite, LedgerRepo } from '../../core/ledgers/repo'
import type { NewOutboxItem } from '../../core/sync/queue'
import type { Db } from './db'
import type { Ledgers } from './ledgers'
import type { Outbox } from './outbox'
import type { Passages } from './passages'

/** The ledger service's storage on the booth's SQLite: reads as they are, each write one transaction. */
export class SqliteLedgerRepo implements LedgerRepo {
  constructor(
    private readonly db: Db,
    private readonly ledgers: Ledgers,
    private readonly outbox: Outbox,
    private readonly passages: Passages
  ) {}

  async passage(id: number) {
    return this.passages.get(id)
  }

  async passageByLsh(lsh: string) {
    const id = this.passages.idByLsh(lsh)
    return id === null ? null : this.passages.get(id)
  }

  async goods(id: number) {
    return this.ledgers.goods(id)
  }

  async goodsOfPassage(passageId: number) {
    return this.ledgers.goodsOfPassage(passageId)
  }

  async goodsPage(query: Parameters<Ledgers['goodsPage']>[0]) {
    return this.ledgers.goodsPage(query)
  }

  async goodsNames() {
    return this.ledgers.goodsNames()
  }

  async setGoodsNames(names: readonly string[]) {
    this.db.transaction(() => this.ledgers.setGoodsNames(names))()
  }

  async entity(...args: Parameters<Ledgers['entity']>) {
    return this.ledgers.entity(...args)
  }

  async entityByKey(...args: Parameters<Ledgers['entityByKey']>) {
    return this.ledgers.entityByKey(...args)
  }

  async entityPage(...args: Parameters<Ledgers['entityPage']>) {
    return this.ledgers.entityPage(...args)
  }

  async image(id: number) {
    return this.ledgers.image(id)
  }

  async history(ledger: LedgerKind, rowId: number) {
    return this.ledgers.history(ledger, rowId)
  }

  async rowOfOutbox(outboxId: number) {
    return this.ledgers.rowOfOutbox(outboxId)
  }

  async writeGoods(writes: readonly GoodsWrite[], change: ChangeMeta, now: number): Promise<number[]> {
    const { ledgers, outbox } = this
    return this.db.transaction(() =>
      writes.map((write) => {
        if (write.existingId !== null && Object.keys(write.changes).length === 0) return write.existingId
        const id = write.existingId ?? ledgers.insertGoods(write.goods, change.by, now)
        if (write.existingId !== null) ledgers.updateGoods(id, write.goods, change.by, now)
        const record = outbox.recordRowOf(write.goods.passageId)
        this.queue('goods', id, write.changes, change, now, { passageId: write.goods.passageId, payload: write.value, ...(record ? { afterId: record.id } : {}) })
        return id
      })
    )()
  }

  async writeEntities(writes: readonly EntityWrite[], change: ChangeMeta, now: number): Promise<number[]> {
    const { ledgers } = this
    return this.db.transaction(() =>
      writes.map((write) => {
        const { ledger } = write
        const before = write.id !== null ? ledgers.entity(ledger, write.id) : ledgers.entityByKey(ledger, write.fields)
        const changes = entityChanges(before, write.fields, Object.keys(write.newImages))
        if (before && Object.keys(changes).length === 0) return before.id
        const images: Record<string, number | null> = { ...before?.images }
        for (const [field, jpeg] of Object.entries(write.newImages)) images[field] = ledgers.addImage(jpeg, now)
        const id = before ? before.id : ledgers.insertEntity(ledger, write.fields, images, write.passageId, change.by, now)
        if (before) ledgers.updateEntity(ledger, id, write.fields, images, write.passageId, change.by, now)
        this.queue(ledger, id, changes, change, now, { payload: write.value })
        return id
      })
    )()
  }

  /** The change's history entry and its outbox row (in the row's chain), linked both ways. */
  private queue(ledger: LedgerKind, rowId: number, changes: FieldChanges, change: ChangeMeta, now: number, item: Pick<NewOutboxItem, 'passageId' | 'afterId' | 'payload'>): void {
    const changeId = this.ledgers.addChange({ ledger, rowId, by: change.by, byUser: change.byUser, action: change.action, changes, note: change.note }, now)
    const outboxId = this.outbox.add({ ...item, kind: LEDGER_KINDS[ledger], idemKey: `${ledger}:${rowId}:${changeId}`, chain: ledgerChain(ledger, rowId) }, now)
    this.ledgers.setChangeOutbox(changeId, outboxId)
  }
}
