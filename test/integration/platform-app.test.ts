import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Alarm, EventName, Passage, PlatformClockView, PlatformStatusView } from '@shared/contract'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { demoConfig, DEMO_PLATFORM } from '../../src/main/core/config'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { eventually, GUARD_CONTEXT, tempDir } from './support'

const PLATFORM_AHEAD_MS = 300_000
let sim: PlatformSim
let app: SingleGate

beforeEach(async () => {
  sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, clockOffsetMs: PLATFORM_AHEAD_MS })
  const config = demoConfig({ dataDir: tempDir('platform-app'), platformBaseUrl: sim.baseUrl, hostPort: 0, lprPort: 0 })
  app = await startSingleGate({ config, platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {} })
})

afterEach(async () => {
  await app.close()
  await sim.close()
})

async function platformStatus(): Promise<PlatformStatusView> {
  const reply = await app.router.dispatch('platform.status', {}, GUARD_CONTEXT)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.result as PlatformStatusView
}

describe('the booth and the platform clock', () => {
  it('logs in at start and reports a booth clock 5 minutes behind as skewed (platform.status)', async () => {
    const status = await eventually('login at start', async () => {
      const current = await platformStatus()
      return current.loggedIn ? current : undefined
    })
    expect(status).toMatchObject({ reachable: true, clockSkewed: true, lastError: null })
    expect(Math.abs(status.clockOffsetMs! - PLATFORM_AHEAD_MS)).toBeLessThan(2_000)
    expect(sim.requests().filter((r) => r.ipctype === 'getAccessToken')).toHaveLength(1)
    // The guard is told: one clock_skew alarm, whatever the number of logins.
    const alarms = await app.router.dispatch('alarms.list', { openOnly: true }, GUARD_CONTEXT)
    expect(alarms.ok && (alarms.result as Alarm[]).filter((alarm) => alarm.kind === 'clock_skew')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/本机时钟比市级平台慢 (29\d|30\d) 秒/) })
    ])
  })

  it('publishes platform.clock on every login, and stamps passages with the platform-corrected time', async () => {
    await eventually('login at start', async () => ((await platformStatus()).loggedIn ? true : undefined))
    const events: [EventName, unknown][] = []
    app.events.subscribe((event, payload) => events.push([event, payload]))
    await fetch(`${sim.url}/__sim/tokens/expire`, { method: 'POST' })

    const reply = await app.router.dispatch('plate.submit', { laneId: 'in1', plate: '豫A12345', colour: '1' }, GUARD_CONTEXT)
    expect(reply.ok).toBe(true)
    const passage = (reply as { ok: true; result: Passage }).result
    expect(Math.abs(Date.parse(passage.recognizedAt) - (Date.now() + PLATFORM_AHEAD_MS))).toBeLessThan(5_000)

    const clock = events.find(([event]) => event === 'platform.clock')?.[1] as PlatformClockView | undefined
    expect(clock).toMatchObject({ skewed: true })
    expect(Math.abs(clock!.offsetMs - PLATFORM_AHEAD_MS)).toBeLessThan(2_000)
  })
})
