import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CameraFrame } from '@shared/contract'
import { eventually, loggedIn, startProcess, stopProcess, tempDir, type RunningProcess } from './support'

let host: RunningProcess | undefined

afterEach(() => stopProcess(host))

describe('demo mode cameras', () => {
  it('starts a simulated ONVIF camera per lane and streams its live view', async () => {
    host = await startProcess('host.js', ['--demo', '--data', tempDir('onvif-demo'), '--port', '0', '--lpr-port', '0'], {}, /listening /)
    const guard = await loggedIn(host.url)
    const frames: CameraFrame[] = []
    const socket = new WebSocket(`${host.url.replace('http', 'ws')}/api/events`, { headers: { Cookie: guard.cookie! } })
    socket.on('message', (data) => {
      const { event, payload } = JSON.parse(String(data)) as { event: string; payload: CameraFrame }
      if (event === 'camera.frame') frames.push(payload)
    })
    await new Promise((resolve) => socket.once('open', resolve))
    try {
      for (const laneId of ['in1', 'out1']) {
        const reply = await guard.call('camera.live.watch', { laneId, viewerId: 'demo-test' })
        expect(reply.body).toMatchObject({ ok: true, result: { fps: 2 } })
      }
      await eventually('a picture from each demo lane', () =>
        ['in1', 'out1'].every((laneId) => frames.some((f) => f.laneId === laneId && f.jpegBase64)) ? true : undefined
      )
    } finally {
      socket.close()
    }
  })
})
