/**
 * One platform status from every contact: verification, uploads, login and the idle probe each set it (online /
 * down / token), and a lane that decides without a verdict says what really happened (no answer, refused request,
 * login), against the platform simulator with injected faults.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PlatformLink } from '@shared/contract'
import { PlatformClient, PlatformUnavailableError } from '../../src/main/core/platform'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { DEMO_PLATFORM, plateRead, setFault, startBooth, type Booth } from './booth'
import { tempDir } from './support'

let sim: PlatformSim | undefined
let booth: Booth | undefined

afterEach(async () => {
  await booth?.close()
  await sim?.close()
  booth = sim = undefined
})

function client(baseUrl: string, links: PlatformLink[]): PlatformClient {
  return new PlatformClient({ baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, password: DEMO_PLATFORM.password, requestTimeoutMs: 2_000, onLink: (link) => links.push(link) })
}

async function problemOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (failure: unknown) => failure
  )
  expect(error).toBeInstanceOf(PlatformUnavailableError)
  return (error as PlatformUnavailableError).problem
}

describe('the platform status', () => {
  it('follows verification, login and the idle probe, in Chinese, and tells why no verdict came', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    const links: PlatformLink[] = []
    const platform = client(sim.baseUrl, links)
    expect(platform.linkStatus()).toMatchObject({ state: 'unknown', since: null })

    expect((await platform.connect()).kind).toBe('ok')
    expect(links.map((link) => [link.state, link.text])).toEqual([['online', '平台在线']])

    await setFault(sim.url, 'down')
    expect(await problemOf(platform.checkVehicle('豫A12345', '1', 1_000))).toBe('down')
    expect(platform.status().link).toMatchObject({ state: 'down', text: '平台无法连接（无应答）' })

    // A format refusal is an answer: the platform is up, the verification was refused.
    await setFault(sim.url, '952')
    expect(await problemOf(platform.checkVehicle('豫A12345', '1', 1_000))).toBe('refused')
    expect(platform.linkStatus().state).toBe('online')

    // 401 to the call and to the login that follows it: the token.
    await setFault(sim.url, '401')
    expect(await problemOf(platform.checkVehicle('豫A12345', '1', 1_000))).toBe('token')
    expect(platform.linkStatus()).toMatchObject({ state: 'token', text: '平台登录失败（账号或令牌无效）' })

    // The idle probe: a platform that stops answering turns the status down without any truck or upload.
    await setFault(sim.url, 'none')
    expect(await platform.checkVehicle('豫A12345', '1', 1_000)).toMatchObject({ isControl: '0' })
    expect(platform.linkStatus().state).toBe('online')
    await setFault(sim.url, 'down')
    await platform.probe(1_000, 0)
    expect(platform.linkStatus().state).toBe('down')
    await setFault(sim.url, 'none')
    await platform.probe(1_000, 0)
    expect(platform.linkStatus().state).toBe('online')
    expect(links.map((link) => link.state)).toEqual(['online', 'down', 'online', 'token', 'online', 'down', 'online'])
    expect(links.every((link) => link.since !== null && !Number.isNaN(Date.parse(link.since)))).toBe(true)

    // A probe right after a probe still asks: only real calls make the probe wait for a quiet spell.
    await new Promise((resolve) => setTimeout(resolve, 60))
    await platform.probe(1_000, 50)
    await setFault(sim.url, 'down')
    await platform.probe(1_000, 50)
    expect(platform.linkStatus().state).toBe('down')
    await setFault(sim.url, 'none')
    expect(await platform.checkVehicle('豫A12345', '1', 1_000)).toMatchObject({ isControl: '0' })
    await setFault(sim.url, 'down')
    await platform.probe(1_000, 60_000)
    expect(platform.linkStatus().state).toBe('online')
    await setFault(sim.url, 'none')
  })

  it('makes the lane say the platform refused the request, not that it did not answer', async () => {
    sim = await startPlatformSim({ ...DEMO_PLATFORM, port: 0 })
    booth = await startBooth({ dataDir: tempDir('platform-link'), platformBaseUrl: sim.baseUrl })
    await setFault(sim.url, '952')
    const refused = await booth.record(plateRead('豫A12345', Date.now(), []))
    expect(refused.passage).toMatchObject({ decision: 'guard', decidedOffline: true, reasonText: '平台拒收核验请求（格式校验失败）且无本地核验记录，请人工确认' })
    await setFault(sim.url, 'down')
    // Within the offline pause the lane asks nothing and repeats the last cause.
    const next = await booth.record(plateRead('豫A12346', Date.now(), []))
    expect(next.passage.reasonText).toBe('平台拒收核验请求（格式校验失败）且无本地核验记录，请人工确认')
  })
})
