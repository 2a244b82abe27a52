import { describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { lastPassagePerLane, newestFirst, PASSAGE_LIMIT, upsertPassage, withLastPassage } from '../../src/renderer/src/state/passages'
import { createGateStore } from '../../src/renderer/src/state/store'

const BASE = Date.parse('2025-03-01T08:00:00.000Z')

function passage(id: number, overrides: Partial<Passage> = {}): Passage {
  return {
    id,
    lsh: `4110020001011250301${String(id).padStart(6, '0')}`,
    laneId: 'in1',
    gateCode: '01',
    direction: 'in',
    plate: '豫A12345',
    plateColour: '1',
    recognizedAt: new Date(BASE + id * 1000).toISOString(),
    tgsjq: '2025-03-01 16:00:00',
    tgsjz: '2025-03-01 16:00:00',
    decision: 'allow',
    reasonCode: 'platform_allow',
    reasonText: '核验通过，准予通行',
    decidedOffline: false,
    verdict: null,
    bgzt: '1',
    source: 'manual',
    photoCount: 0,
    upload: 'pending',
    uploadError: null,
    ...overrides
  }
}

const ids = (passages: Passage[]) => passages.map((p) => p.id)

describe('upsertPassage', () => {
  it('puts a new passage first when it is the newest', () => {
    const journal = [passage(2), passage(1)]
    expect(ids(upsertPassage(journal, passage(3)))).toEqual([3, 2, 1])
  })

  it('replaces the passage with the same id in place, without duplicating it', () => {
    const journal = [passage(3), passage(2), passage(1)]
    const updated = upsertPassage(journal, passage(2, { upload: 'uploaded' }))
    expect(ids(updated)).toEqual([3, 2, 1])
    expect(updated[1]!.upload).toBe('uploaded')
    expect(journal[1]!.upload).toBe('pending')
  })

  it('slots a late event by the time the plate was read, ties broken by id', () => {
    const journal = [passage(5), passage(3), passage(1)]
    expect(ids(upsertPassage(journal, passage(4)))).toEqual([5, 4, 3, 1])
    const sameInstant = passage(9, { recognizedAt: passage(3).recognizedAt })
    expect(ids(upsertPassage(journal, sameInstant))).toEqual([5, 9, 3, 1])
  })

  it(`keeps at most ${PASSAGE_LIMIT} passages, dropping the oldest`, () => {
    let journal: Passage[] = []
    for (let id = 1; id <= PASSAGE_LIMIT + 5; id++) journal = upsertPassage(journal, passage(id))
    expect(journal).toHaveLength(PASSAGE_LIMIT)
    expect(journal[0]!.id).toBe(PASSAGE_LIMIT + 5)
    expect(journal.at(-1)!.id).toBe(6)
    expect(ids(upsertPassage(journal, passage(1)))).not.toContain(1)
  })
})

describe('newestFirst', () => {
  it('sorts newest first and caps the list', () => {
    expect(ids(newestFirst([passage(1), passage(3), passage(2)]))).toEqual([3, 2, 1])
    expect(ids(newestFirst([passage(1), passage(3), passage(2)], 2))).toEqual([3, 2])
  })
})

describe('last passage per lane', () => {
  it('tracks the newest passage of each lane', () => {
    const last = lastPassagePerLane([passage(1), passage(4, { laneId: 'out1' }), passage(3), passage(2, { laneId: 'out1' })])
    expect(last.in1!.id).toBe(3)
    expect(last.out1!.id).toBe(4)
  })

  it('takes an update of the current last passage, but not an update of an older one', () => {
    const last = lastPassagePerLane([passage(1), passage(2)])
    expect(withLastPassage(last, passage(2, { upload: 'failed' })).in1!.upload).toBe('failed')
    expect(withLastPassage(last, passage(1, { upload: 'failed' }))).toBe(last)
  })
})

describe('gate store', () => {
  it('upserts received passages and keeps the lane tile after a snapshot that no longer holds it', () => {
    const store = createGateStore()
    const { passageReceived, snapshotLoaded } = store.getState()
    passageReceived(passage(1, { laneId: 'quiet' }))
    passageReceived(passage(2))
    passageReceived(passage(2, { upload: 'uploaded' }))
    expect(ids(store.getState().passages)).toEqual([2, 1])
    expect(store.getState().passages[0]!.upload).toBe('uploaded')

    const sync = {
      online: true,
      pending: 0,
      lastSuccessAt: null,
      lastError: null,
      dead: 0,
      pendingByKind: {},
      oldestPendingAt: null,
      oldestPendingAgeMs: null,
      inFlight: 0,
      paused: null,
      backlog: null
    }
    const info = { version: '0.1.0', demo: false, enterpriseCode: '4110020001', enterpriseName: '测试企业', lanes: [] }
    snapshotLoaded({ info, sync, passages: [passage(2, { upload: 'uploaded' }), passage(3)] })
    expect(ids(store.getState().passages)).toEqual([3, 2])
    expect(store.getState().lastByLane.quiet!.id).toBe(1)
    expect(store.getState().lastByLane.in1!.id).toBe(3)
  })
})
