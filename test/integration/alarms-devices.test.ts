import { afterEach, describe, expect, it } from 'vitest'
import type { Alarm } from '@shared/contract'
import { AlarmService, type DeviceHealthChange, type DeviceHealthSource } from '../../src/main/core/alarms'
import { openStore, type Store } from '../../src/main/booth/store'
import { eventually, tempDir } from './support'

let store: Store | undefined
let alarms: AlarmService | undefined

afterEach(() => {
  alarms?.stop()
  store?.close()
})

/** A device's health as its adapter reports it, driven by the test. */
class Device implements DeviceHealthSource {
  private listener: ((health: DeviceHealthChange) => void) | null = null
  onHealth(listener: (health: DeviceHealthChange) => void): () => void {
    this.listener = listener
    return () => (this.listener = null)
  }
  report(status: DeviceHealthChange['status']): void {
    this.listener?.({ id: 'out1/barrier', laneId: 'out1', kind: 'barrier', status, error: status === 'online' ? null : 'no answer within 300 ms' } as DeviceHealthChange)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('device alarms', () => {
  it('a blip shorter than the hold raises nothing; staying offline raises one; acknowledged is not resolved; back online resolves it', async () => {
    store = openStore(tempDir('alarms-devices'))
    const raised: Alarm[] = []
    const updated: Alarm[] = []
    alarms = new AlarmService({
      store: store.repos.alarms,
      dwellAlarmMinutes: 240,
      repeatedRefusals: 3,
      repeatedRefusalWindowMinutes: 60,
      deviceOfflineAlarmMs: 400,
      onRaised: (alarm) => raised.push(alarm),
      onUpdated: (alarm) => updated.push(alarm)
    })
    const device = new Device()
    alarms.watch([device])

    // A 0.24 s blip, as a barrier controller missing a poll or two.
    device.report('offline')
    await sleep(240)
    device.report('online')
    await sleep(600)
    expect(raised).toEqual([])

    device.report('offline')
    device.report('error')
    const [alarm] = await eventually('the alarm after the hold', () => (raised.length > 0 ? raised : undefined))
    expect(alarm).toMatchObject({ kind: 'device_offline', laneId: 'out1', resolvedAt: null })
    expect(alarm!.message).toContain('故障')

    // Acknowledged while the device is still off: it stays open, shown as acknowledged and unresolved.
    alarms.acknowledge(alarm!.id, '已通知维修', { userId: 'g1', name: '张三', role: 'guard' })
    const open = alarms.list(10, true)
    expect(open).toEqual([expect.objectContaining({ id: alarm!.id, acknowledgedBy: '张三', resolvedAt: null })])
    // Still off, reported again: no second alarm for the same outage.
    device.report('offline')
    await sleep(600)
    expect(raised).toHaveLength(1)

    device.report('online')
    expect(updated.at(-1)).toMatchObject({ id: alarm!.id, acknowledgedBy: '张三' })
    expect(updated.at(-1)!.resolvedAt).not.toBeNull()
    expect(alarms.list(10, true)).toEqual([])
    expect(alarms.list(10, false)).toHaveLength(1)
  })

  it('a device back before anyone acknowledged: the alarm stays to acknowledge, and a new outage is a new alarm', async () => {
    store = openStore(tempDir('alarms-devices'))
    const raised: Alarm[] = []
    alarms = new AlarmService({ store: store.repos.alarms, dwellAlarmMinutes: 240, repeatedRefusals: 3, repeatedRefusalWindowMinutes: 60, deviceOfflineAlarmMs: 0, onRaised: (alarm) => raised.push(alarm), onUpdated: () => {} })
    const device = new Device()
    alarms.watch([device])
    device.report('offline')
    device.report('online')
    expect(alarms.list(10, true)).toEqual([expect.objectContaining({ id: raised[0]!.id, acknowledgedAt: null })])
    expect(alarms.list(10, true)[0]!.resolvedAt).not.toBeNull()
    device.report('offline')
    expect(raised).toHaveLength(2)
    expect(alarms.list(10, true).map((alarm) => alarm.id)).toEqual([raised[1]!.id, raised[0]!.id])
  })
})
