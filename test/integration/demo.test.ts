import { afterEach, describe, expect, it } from 'vitest'
import { ApiSession, startProcess, stopProcess, tempDir, type RunningProcess } from './support'

let host: RunningProcess | undefined

afterEach(() => stopProcess(host))

describe('demo mode', () => {
  it('starts the simulated platform in its own process and verifies against it', async () => {
    host = await startProcess('host.js', ['--demo', '--data', tempDir('demo'), '--port', '0', '--lpr-port', '0'], {}, /listening /)
    const api = new ApiSession(host.url)
    const info = await api.call('app.info')
    expect(info.body.result).toMatchObject({ demo: true, enterpriseCode: '4110020001', lanes: [{ id: 'in1' }, { id: 'out1' }] })
    // Demo mode seeds the guard shown on its login page.
    expect((await api.login('guard', 'guard123')).body.result.actor).toMatchObject({ userId: 'guard', role: 'guard' })
    const controlled = await api.call('plate.submit', { laneId: 'in1', plate: '豫A00003', colour: '1' })
    expect(controlled.body.result).toMatchObject({ decision: 'refuse', decidedOffline: false })
    const page = await fetch(host.url)
    expect(await page.text()).toContain('<div id="root">')
  })
})
