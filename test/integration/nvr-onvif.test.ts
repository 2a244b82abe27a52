import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { durationMs, findReplayUri, NoReplay, NvrError, remuxToMp4, replayToFile, type OnvifRecorder } from '../../src/main/booth/video'
import { startNvrSim, type NvrSim } from '../../src/sim/nvr/server'
import { frameClockSecond } from './nvr-support'
import { tempDir } from './support'

/**
 * The ONVIF Profile G client (Recording Search, GetReplayUri, our RTSP replay client) against the simulator's SOAP
 * services and RTSP replay server: the clip is the period asked for, by its burnt-in clock and its duration, and every
 * fault is an NvrError in words, never a hang or a short clip taken for a whole one.
 */
let sim: NvrSim
const dir = tempDir('nvr-onvif')

beforeAll(async () => {
  sim = await startNvrSim({ host: '127.0.0.1', port: 0, username: 'booth', password: 'pw-1', retainHours: 1, deviceTime: 'utc' })
})

afterAll(() => sim.close())

beforeEach(() => setFault('none'))

async function setFault(mode: string, slowMs?: number): Promise<{ replays: number; completeReplays: number; teardowns: number }> {
  const response = await fetch(`${sim.url}/admin/fault`, { method: 'POST', body: JSON.stringify({ mode, ...(slowMs ? { slowMs } : {}) }) })
  return (await response.json()) as { replays: number; completeReplays: number; teardowns: number }
}

const recorder = (password = 'pw-1', timeoutMs = 5_000): OnvifRecorder => ({
  url: `${sim.url}/onvif/device_service`,
  recordingToken: 'rec2',
  credentials: { username: 'booth', password },
  timeoutMs
})

describe('ONVIF Profile G replay', () => {
  it('finds the recording, replays exactly the period over RTSP, and the MP4 shows the period’s clock for its length', async () => {
    const startAt = Date.now() - 90_000
    const endAt = startAt + 12_000
    const uri = (await findReplayUri(recorder(), startAt, endAt))!
    expect(uri).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/replay\/rec2$/)
    const file = join(dir, 'period.flv')
    const result = await replayToFile({ uri, credentials: recorder().credentials, startAt, endAt, timeoutMs: 5_000, file })
    expect(result.pictures).toBe(120)
    expect(result.dropped).toBe(0)
    expect(Math.abs(result.durationMs - 12_000)).toBeLessThanOrEqual(100)
    const mp4 = join(dir, 'period.mp4')
    expect((await remuxToMp4(file, mp4)).mode).toBe('copy')
    expect(Math.abs((await durationMs(mp4)) - 12_000)).toBeLessThanOrEqual(1_000)
    expect(Math.abs(frameClockSecond(mp4, 0.2) - Math.floor(startAt / 1000))).toBeLessThanOrEqual(1)
    expect(Math.abs(frameClockSecond(mp4, 10) - Math.floor(startAt / 1000) - 10)).toBeLessThanOrEqual(1)
  })

  it('a period older than the recorder holds has no replay URI; a recorder that lost it all neither', async () => {
    expect(await findReplayUri(recorder(), Date.now() - 3 * 3600_000, Date.now() - 3 * 3600_000 + 30_000)).toBeNull()
    await setFault('no-recording')
    expect(await findReplayUri(recorder(), Date.now() - 60_000, Date.now() - 30_000)).toBeNull()
  })

  it('a PLAY of a range the recorder does not hold (457) is "no recording", not a retry', async () => {
    const startAt = Date.now() - 60_000
    const uri = (await findReplayUri(recorder(), startAt, startAt + 5_000))!
    await setFault('no-recording')
    await expect(replayToFile({ uri, credentials: recorder().credentials, startAt, endAt: startAt + 5_000, timeoutMs: 5_000, file: join(dir, 'none.flv') })).rejects.toThrow(NoReplay)
  })

  it('refused credentials: the SOAP token and the RTSP digest both say so in words', async () => {
    await expect(findReplayUri(recorder('wrong'), Date.now() - 60_000, Date.now() - 30_000)).rejects.toThrow(/用户名或密码/)
    const startAt = Date.now() - 60_000
    const uri = (await findReplayUri(recorder(), startAt, startAt + 5_000))!
    await expect(replayToFile({ uri, credentials: { username: 'booth', password: 'wrong' }, startAt, endAt: startAt + 5_000, timeoutMs: 5_000, file: join(dir, 'auth.flv') })).rejects.toThrow(
      /用户名或密码/
    )
  })

  it('garbage instead of RTSP, an interleaved frame cut short, a cut mid-stream, a slow recorder: each a clear NvrError', async () => {
    const startAt = Date.now() - 60_000
    const endAt = startAt + 6_000
    const uri = (await findReplayUri(recorder(), startAt, endAt))!
    const attempt = (name: string, timeoutMs = 5_000) => replayToFile({ uri, credentials: recorder().credentials, startAt, endAt, timeoutMs, file: join(dir, `${name}.flv`) })

    await setFault('rtsp-garbage')
    await expect(attempt('garbage')).rejects.toThrow(/不是 RTSP 格式/)
    await setFault('rtsp-truncated')
    await expect(attempt('truncated')).rejects.toThrow(/交织帧不完整/)
    await setFault('disconnect')
    const cut = await attempt('cut').catch((error: unknown) => error)
    expect(cut).toBeInstanceOf(NvrError)
    expect((cut as Error).message).toMatch(/中途断开了回放连接.*已收到 \d+ 秒/)
    await setFault('slow', 1_500)
    await expect(attempt('slow', 500)).rejects.toThrow('录像机响应超时')
    await setFault('none')
    expect(await attempt('after')).toMatchObject({ pictures: 60 })
  })

  it('a recorder that ignores Rate-Control: no and the range’s end: followed in real time, stopped at the period’s end by its clock, then TEARDOWN', async () => {
    const startAt = Date.now() - 60_000
    const endAt = startAt + 2_000
    const uri = (await findReplayUri(recorder(), startAt, endAt))!
    const before = await setFault('realtime')
    const result = await replayToFile({ uri, credentials: recorder().credentials, startAt, endAt, timeoutMs: 5_000, file: join(dir, 'realtime.flv') })
    expect(result.pictures).toBe(20)
    expect(Math.abs(result.durationMs - 2_000)).toBeLessThanOrEqual(100)
    const after = await setFault('none')
    expect(after.teardowns).toBe(before.teardowns + 1)
    expect(after.completeReplays).toBe(before.completeReplays)
  })
})
