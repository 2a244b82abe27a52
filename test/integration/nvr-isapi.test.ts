import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadRecording, NvrError, searchRecording, type IsapiRecorder } from '../../src/main/booth/video'
import { startNvrSim, type NvrSim } from '../../src/sim/nvr/server'
import { frameClockSecond } from './nvr-support'
import { tempDir } from './support'

/**
 * The ISAPI client against a simulator that writes Beijing time with a Z (as many Hikvision firmwares do): with
 * `deviceTime: 'beijing'` the clip is of the right period; read as UTC it would be 8 hours off.
 */
let sim: NvrSim
const dir = tempDir('nvr-isapi')

beforeAll(async () => {
  sim = await startNvrSim({ host: '127.0.0.1', port: 0, username: 'booth', password: 'pw-1', retainHours: 24, deviceTime: 'beijing' })
})

afterAll(() => sim.close())

const recorder = (deviceTime: 'utc' | 'beijing', password = 'pw-1'): IsapiRecorder => ({
  url: sim.url,
  channel: '201',
  credentials: { username: 'booth', password },
  deviceTime,
  timeoutMs: 5_000
})

describe('ISAPI ContentMgmt against a recorder on Beijing time', () => {
  it('deviceTime beijing: the downloaded recording shows the asked period', async () => {
    const start = Date.now() - 120_000
    const uri = await searchRecording(recorder('beijing'), start, start + 5_000)
    expect(uri).toMatch(/^rtsp:\/\/127\.0\.0\.1\/Streaming\/tracks\/201\/\?starttime=\d{8}T\d{6}Z&endtime=/)
    const file = join(dir, 'beijing.ts')
    expect(await downloadRecording(recorder('beijing'), uri!, file)).toBeGreaterThan(1000)
    expect(Math.abs(frameClockSecond(file, 1) - Math.floor(start / 1000) - 1)).toBeLessThanOrEqual(1)
  })

  it('the same recorder read as UTC gives the video of 8 hours earlier (the clock in the picture tells), and a wrong password is a 401 in words', async () => {
    const start = Date.now() - 120_000
    // UTC times taken by the recorder as Beijing wall time name an instant 8 h earlier, which this recorder still holds.
    const uri = await searchRecording(recorder('utc'), start, start + 5_000)
    const file = join(dir, 'utc.ts')
    await downloadRecording(recorder('utc'), uri!, file)
    expect(Math.abs(frameClockSecond(file, 1) - Math.floor(start / 1000) + 8 * 3600)).toBeLessThanOrEqual(2)
    await expect(searchRecording(recorder('beijing', 'wrong'), start, start + 5_000)).rejects.toThrow(NvrError)
    await expect(searchRecording(recorder('beijing', 'wrong'), start, start + 5_000)).rejects.toThrow(/用户名或密码/)
  })
})
