/**
 * Demo mode starts the barrier, LED and weighbridge simulators (TCP transport, no socat) and an ONVIF camera per
 * lane, and wires both demo lanes to them; `devices.health` reports every device over the API.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { eventually, loggedIn, startProcess, stopProcess, tempDir, type RunningProcess } from './support'

let host: RunningProcess | undefined

afterEach(() => stopProcess(host))

describe('devices in demo mode', () => {
  it('reports all eight simulated devices online through devices.health', async () => {
    host = await startProcess('host.js', ['--demo', '--data', tempDir('devices-demo'), '--port', '0', '--lpr-port', '0'], {}, /listening /)
    const guard = await loggedIn(host.url)
    const devices = await eventually('all devices online', async () => {
      const reply = await guard.call('devices.health')
      const list = reply.body.result as any[]
      return list.length === 8 && list.every((device) => device.status === 'online') ? list : undefined
    })
    expect(devices.map((device) => `${device.id} ${device.kind} ${device.laneId}`)).toEqual([
      'in1/barrier barrier in1',
      'in1/camera camera in1',
      'in1/display display in1',
      'in1/scale scale in1',
      'out1/barrier barrier out1',
      'out1/camera camera out1',
      'out1/display display out1',
      'out1/scale scale out1'
    ])
    for (const device of devices) {
      expect(device.error).toBeNull()
      expect(Date.parse(device.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000)
    }
  })
})
