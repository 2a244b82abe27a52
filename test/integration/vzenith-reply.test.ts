import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { eventually, GUARD_CONTEXT, postJson, tempDir } from './support'

/**
 * A 臻识 camera whose IO output drives the barrier, configured without its TCP address: the booth opens it only in the
 * reply to the camera's push (vzenith-camera.test.ts: with the address, a later open goes over the TCP channel).
 */
let platform: PlatformSim
let app: SingleGate

beforeEach(async () => {
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  const dataDir = tempDir('vzenith-reply')
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  const lanes = [{ ...base.lanes[0]!, barrier: { kind: 'camera', brand: 'vzenith' } }, base.lanes[1]!]
  const config = parseConfig({ ...base, lanes, laneTiming: { ...base.laneTiming, openTimeoutMs: 1_000 } }, dataDir)
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: false, log: () => {} })
})

afterEach(async () => {
  await app.close()
  await platform.close()
})

const push = (license: string, plateid: number) =>
  postJson(`${app.lpr.url}/lpr/in1`, { AlarmInfoPlate: { serialno: 'vz-0001', result: { PlateResult: { license, colorType: 2, plateid } } } })

describe('臻识 camera barrier: opened in the reply to the plate push', () => {
  it('answers info "ok" for an allowed truck (the camera lifts the arm) and "no" for a refused one', async () => {
    const allowed = await push('豫A00005', 1)
    expect(allowed.body).toMatchObject({ Response_AlarmInfoPlate: { info: 'ok' }, decision: 'allow' })
    expect(app.lanes.state('in1').barrier?.arm).toBe('up')
    // No loop input: at the open timeout the raised arm is taken as passed, raised on the plate.
    await eventually('lane idle', () => (app.lanes.state('in1').phase === 'idle' ? true : undefined))
    expect(app.store.passages.latest(1)[0]).toMatchObject({ plate: '豫A00005', bgzt: '1', raiseSource: 'plate' })

    const refused = await push('豫A00003', 2)
    expect(refused.body).toMatchObject({ Response_AlarmInfoPlate: { info: 'no' }, decision: 'refuse' })
  })

  it('without the camera\'s TCP address, a guard releasing a held truck later has no reply to carry the open: it fails with the reason and the truck stays with the guard', async () => {
    await push('豫A00003', 3)
    const held = app.lanes.state('in1')
    expect(held.phase).toBe('decided')
    app.lanes.release({ laneId: 'in1', passageId: held.current!.passageId!, reason: 'leader_approved', note: '', confirmViolation: true }, GUARD_CONTEXT.actor)
    const state = await eventually('open failed', () => {
      const lane = app.lanes.state('in1')
      return lane.current?.reasonCode === 'barrier_failed' ? lane : undefined
    })
    expect(state.current?.reasonText).toContain('未配置摄像机 TCP 地址）：请人工抬杆')
  })
})
