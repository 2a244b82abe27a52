import { afterEach, describe, expect, it } from 'vitest'
import type { Alarm } from '@shared/contract'
import { AlarmService } from '../../src/main/core/alarms'
import { openStore, type Store } from '../../src/main/booth/store'
import { tempDir } from './support'

let store: Store | undefined

afterEach(() => store?.close())

describe('the sync backlog alarm', () => {
  it('raises once when the oldest upload has waited past the threshold, and again only after it was acknowledged', () => {
    store = openStore(tempDir('alarms-backlog'))
    const raised: Alarm[] = []
    const alarms = new AlarmService({ store: store.repos.alarms, dwellAlarmMinutes: 240, repeatedRefusals: 3, repeatedRefusalWindowMinutes: 60, onRaised: (alarm) => raised.push(alarm), onUpdated: () => {} })

    expect(alarms.syncBacklog({ pending: 0, oldestPendingAgeMs: null }, 60)).toBeNull()
    expect(alarms.syncBacklog({ pending: 12, oldestPendingAgeMs: 59 * 60_000 }, 60)).toBeNull()
    const alarm = alarms.syncBacklog({ pending: 40, oldestPendingAgeMs: 90 * 60_000 }, 60)
    expect(alarm).toMatchObject({ kind: 'sync_backlog', laneId: null, message: '40 条记录等待上传，最早的已等待 1.5 小时，请检查网络和市级平台' })
    expect(alarms.syncBacklog({ pending: 41, oldestPendingAgeMs: 95 * 60_000 }, 60)).toBeNull()

    alarms.acknowledge(alarm!.id, '网络已恢复', { userId: 'g1', name: '张三', role: 'guard' })
    expect(alarms.syncBacklog({ pending: 41, oldestPendingAgeMs: 95 * 60_000 }, 60)).toMatchObject({ kind: 'sync_backlog' })
    expect(raised.map((a) => a.kind)).toEqual(['sync_backlog', 'sync_backlog'])
  })
})
