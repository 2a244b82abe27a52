import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import WebSocket from 'ws'
import type { CameraFrame } from '@shared/contract'
import { CAMERA_PASSWORD, CAMERA_USER, startSimCamera, stopSimCamera, type SimCamera } from './onvif-support'
import { LoginPage } from '../e2e/pages'
import { addUser, DEMO_GUARD, eventually, loggedIn, startProcess, stopProcess, tempDir, writeBoothConfig, type ApiSession, type RunningProcess } from './support'

let camera: SimCamera | undefined
let host: RunningProcess
let socket: WebSocket
let guard: ApiSession
const frames: CameraFrame[] = []

beforeEach(async () => {
  camera = await startSimCamera()
  // No platform is needed to watch a lane: the booth runs offline.
  const dataDir = tempDir('live-view')
  const config = writeBoothConfig(dataDir, 'http://127.0.0.1:9/ysgk', {
    lanes: [
      {
        id: 'in1',
        name: '1号入口',
        gateCode: '01',
        direction: 'in',
        camera: { kind: 'onvif', url: camera.url, username: CAMERA_USER, passwordEnv: 'GATE_CAMERA_PASSWORD', liveFps: 5, healthIntervalMs: 500, requestTimeoutMs: 1_000 }
      },
      { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
    ]
  })
  await addUser(dataDir, DEMO_GUARD)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: 'unused', GATE_CAMERA_PASSWORD: CAMERA_PASSWORD }, /listening /)
  guard = await loggedIn(host.url)
  frames.length = 0
  socket = new WebSocket(`${host.url.replace('http', 'ws')}/api/events`, { headers: { Cookie: guard.cookie! } })
  socket.on('message', (data) => {
    const { event, payload } = JSON.parse(String(data)) as { event: string; payload: CameraFrame }
    if (event === 'camera.frame') frames.push(payload)
  })
  await new Promise((resolve) => socket.once('open', resolve))
})

afterEach(async () => {
  socket.close()
  await stopProcess(host)
  await stopSimCamera(camera)
})

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const watch = (laneId: string, viewerId = 'test-viewer') => guard.call('camera.live.watch', { laneId, viewerId })

describe('live lane view over the headless host WebSocket', () => {
  it('sends no frames until a viewer watches, then JPEG frames of that lane, and stops when the viewer leaves', async () => {
    await settle(800)
    expect(frames).toHaveLength(0)

    const watched = await watch('in1')
    expect(watched).toMatchObject({ status: 200, body: { ok: true, result: { fps: 5 } } })
    await eventually('three frames', () => (frames.filter((f) => f.jpegBase64).length >= 3 ? true : undefined))
    for (const frame of frames.filter((f) => f.jpegBase64)) {
      const jpeg = Buffer.from(frame.jpegBase64!, 'base64')
      expect(frame.laneId).toBe('in1')
      expect([jpeg[0], jpeg[1], jpeg.at(-2), jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9])
    }

    expect((await guard.call('camera.live.unwatch', { laneId: 'in1', viewerId: 'test-viewer' })).status).toBe(200)
    await settle(400)
    const afterUnwatch = frames.length
    await settle(800)
    expect(frames.length).toBe(afterUnwatch)
  })

  it('refuses to watch a lane without an ONVIF camera', async () => {
    const reply = await watch('out1')
    expect(reply.status).toBe(404)
    expect(reply.body.error).toMatchObject({ code: 'not_found' })
  })

  it('sends frames without a picture and with the reason while the camera is away', async () => {
    await watch('in1')
    await eventually('a live frame', () => (frames.some((f) => f.jpegBase64) ? true : undefined))
    await stopSimCamera(camera, 'SIGKILL')
    const seenBefore = frames.length
    const offline = await eventually('an offline frame', () => frames.slice(seenBefore).find((f) => f.jpegBase64 === null))
    expect(offline.error).toMatch(/摄像机无响应/)
  })

  it('shows the picture in the lane tile in Chromium, and a placeholder once the camera is gone', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    try {
      const page = await browser.newPage({ locale: 'zh-CN' })
      await page.goto(host.url)
      await new LoginPage(page).login(DEMO_GUARD.username, DEMO_GUARD.password)
      const view = page.locator('[data-testid="live-view"][data-lane-id="in1"]')
      await view.locator('img').waitFor()
      expect(await view.getAttribute('data-state')).toBe('live')
      // The exit lane has no ONVIF camera: no live view at all.
      await page.locator('[data-testid="lane-tile"][data-lane-id="out1"]').waitFor()
      expect(await page.locator('[data-testid="live-view"][data-lane-id="out1"]').count()).toBe(0)

      await stopSimCamera(camera, 'SIGKILL')
      await page.locator('[data-testid="live-view"][data-lane-id="in1"][data-state="offline"]').waitFor({ timeout: 15_000 })
      expect(await view.getByRole('status').textContent()).toMatch(/摄像机/)
    } finally {
      await browser.close()
    }
  })
})
