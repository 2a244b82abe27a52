import { afterEach, describe, expect, it } from 'vitest'
import { LiveView, NoCameraError, type LiveFrame } from '../../src/main/booth/devices/camera/live-view'

const views: LiveView[] = []
afterEach(() => views.splice(0).forEach((view) => view.stop()))

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function liveView(snapshot: () => Promise<Uint8Array>, options: { fps?: number; leaseMs?: number } = {}) {
  const frames: LiveFrame[] = []
  const view = new LiveView({ snapshot, hasCamera: (laneId) => laneId === 'in1', fps: () => options.fps ?? 20, publish: (frame) => frames.push(frame), leaseMs: options.leaseMs })
  views.push(view)
  return { view, frames }
}

describe('LiveView', () => {
  it('drops ticks while a slow snapshot is running instead of queueing them', async () => {
    let running = 0
    let mostAtOnce = 0
    const { view, frames } = liveView(async () => {
      mostAtOnce = Math.max(mostAtOnce, ++running)
      await settle(200)
      running--
      return Buffer.from([0xff, 0xd8, 0xff, 0xd9])
    })
    view.watch('in1', 'a')
    await settle(900)
    const stats = view.stats('in1')!
    expect(mostAtOnce).toBe(1)
    expect(stats.dropped).toBeGreaterThan(stats.published)
    expect(frames.length).toBe(stats.published)
    expect(frames[0]).toMatchObject({ laneId: 'in1', jpegBase64: '/9j/2Q==', error: null })
  })

  it('publishes a frame without picture and with the reason when the snapshot fails', async () => {
    const { view, frames } = liveView(() => Promise.reject(new Error('摄像机无响应：ECONNREFUSED')))
    view.watch('in1', 'a')
    await settle(100)
    expect(frames[0]).toMatchObject({ laneId: 'in1', jpegBase64: null, error: '摄像机无响应：ECONNREFUSED' })
  })

  it('runs only while a viewer holds a lease: unwatch by the last viewer, or a lapsed lease, stops it', async () => {
    let calls = 0
    const { view } = liveView(async () => (calls++, Buffer.from([0xff, 0xd8, 0xff, 0xd9])), { leaseMs: 300 })
    view.watch('in1', 'a')
    view.watch('in1', 'b')
    view.unwatch('in1', 'a')
    expect(view.stats('in1')?.watchers).toBe(1)
    view.unwatch('in1', 'b')
    expect(view.stats('in1')).toBeNull()

    view.watch('in1', 'c')
    await settle(600)
    expect(view.stats('in1')).toBeNull()
    const afterLapse = calls
    await settle(200)
    expect(calls).toBe(afterLapse)
  })

  it('refuses a lane without a camera', () => {
    const { view } = liveView(() => Promise.resolve(new Uint8Array()))
    expect(() => view.watch('out1', 'a')).toThrow(NoCameraError)
  })
})
