import type onvif from 'onvif'
import type { Camera, CameraPlateRead, DeviceHealth, DeviceStatus } from '../types'
import { fetchWithDigest, HttpAuthError } from './digest-fetch'
import { digitalInputFromNotification, parsePullMessages, plateFromNotification, type DigitalInputEvent } from './notifications'
import { MalformedXmlError } from './xml'

export interface OnvifCameraOptions {
  /** Device id, e.g. `in1/camera`. */
  id: string
  laneId: string
  /** Device service URL, e.g. http://192.168.1.64/onvif/device_service */
  url: string
  username: string
  password: string
  /** Media profile to use; default: the camera's first profile for its first video source. */
  profileToken?: string
  /** Per SOAP request and per snapshot. */
  requestTimeoutMs?: number
  /** How often a connected camera is asked the time, to notice it going away between events. */
  healthIntervalMs?: number
  /** First reconnect delay; doubles up to 30 s while the camera stays away. */
  retryMs?: number
  /** Renew the pull-point subscription once this long has passed since the last renewal. */
  renewAfterMs?: number
  now?: () => number
}

export interface CameraMedia {
  profileToken: string
  profileName: string
  snapshotUri: string
  streamUri: string
}

type OnvifCam = InstanceType<typeof onvif.Cam>

const MAX_RETRY_MS = 30_000
/** agsh/onvif asks for PT2M subscriptions and pulls wait up to 1 min: renewing after 30 s stays clear of expiry. */
const RENEW_AFTER_MS = 30_000

/**
 * An ONVIF camera: device and media services through the `onvif` library (WS-UsernameToken, profiles, snapshot and
 * stream URIs, pull-point subscription), the snapshot JPEG over HTTP Digest and the plate / digital-input metadata
 * parsed here. It connects in the background and keeps reconnecting; health says where it stands.
 */
export class OnvifCamera implements Camera {
  private readonly plateListeners = new Set<(read: CameraPlateRead) => void>()
  private readonly inputListeners = new Set<(event: DigitalInputEvent & { laneId: string }) => void>()
  private readonly healthListeners = new Set<(health: DeviceHealth) => void>()
  private readonly now: () => number
  private readonly timeoutMs: number
  private current: DeviceHealth
  private cam: OnvifCam | null = null
  private media: CameraMedia | null = null
  private stopped = false
  private running: Promise<void> | null = null
  private interrupt: ((error: Error) => void) | null = null
  private healthTimer: NodeJS.Timeout | null = null
  private wakeSleep: (() => void) | null = null

  constructor(private readonly options: OnvifCameraOptions) {
    this.now = options.now ?? Date.now
    this.timeoutMs = options.requestTimeoutMs ?? 5_000
    this.current = { id: options.id, kind: 'camera', laneId: options.laneId, status: 'offline', lastSeenAt: null, error: '尚未连接' }
  }

  /** Starts connecting in the background; never throws (problems show in health). */
  start(): void {
    if (this.running || this.stopped) return
    this.running = this.run()
  }

  mediaInfo(): CameraMedia | null {
    return this.media
  }

  async snapshot(): Promise<Uint8Array> {
    if (!this.media) throw new Error(`摄像机未就绪：${this.current.error ?? '尚未连接'}`)
    try {
      const jpeg = await fetchWithDigest(this.media.snapshotUri, { username: this.options.username, password: this.options.password }, this.timeoutMs)
      this.seen()
      return jpeg
    } catch (error) {
      this.problem(error)
      throw new Error(describeCameraError(error).message, { cause: error })
    }
  }

  onPlate(listener: (read: CameraPlateRead) => void): () => void {
    this.plateListeners.add(listener)
    return () => this.plateListeners.delete(listener)
  }

  /** Digital inputs of the camera (loop detector or push button wired to its IO), tns1:Device/Trigger/DigitalInput. */
  onDigitalInput(listener: (event: DigitalInputEvent & { laneId: string }) => void): () => void {
    this.inputListeners.add(listener)
    return () => this.inputListeners.delete(listener)
  }

  health(): DeviceHealth {
    return { ...this.current }
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    this.healthListeners.add(listener)
    return () => this.healthListeners.delete(listener)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.interrupt?.(new Error('stopped'))
    this.wakeSleep?.()
    if (this.healthTimer) clearInterval(this.healthTimer)
    await this.running
  }

  private async run(): Promise<void> {
    let retryMs = this.options.retryMs ?? 1_000
    while (!this.stopped) {
      try {
        await this.connect()
        retryMs = this.options.retryMs ?? 1_000
        this.startHealthChecks()
        await this.pullEvents()
      } catch (error) {
        if (!this.stopped) this.problem(error)
      }
      if (this.healthTimer) clearInterval(this.healthTimer)
      await this.unsubscribeQuietly()
      if (this.stopped) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs)
        this.wakeSleep = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
    }
  }

  private async connect(): Promise<void> {
    const url = new URL(this.options.url)
    // The library (with its XML stack) loads with the first ONVIF camera, not at every booth's start.
    const { default: library } = await import('onvif')
    const cam = new library.Cam({
      hostname: url.hostname,
      port: Number(url.port || 80),
      path: url.pathname,
      username: this.options.username,
      password: this.options.password,
      timeout: this.timeoutMs,
      autoconnect: false
    })
    this.cam = cam
    await call(cam, 'connect')
    await call(cam, 'getDeviceInformation')
    const profiles = (cam.profiles ?? []) as { $: { token: string }; name?: string }[]
    const profile = this.options.profileToken
      ? profiles.find((candidate) => candidate.$.token === this.options.profileToken)
      : ((cam.defaultProfile as (typeof profiles)[number] | undefined) ?? profiles[0])
    if (!profile) throw new Error(this.options.profileToken ? `摄像机没有媒体配置 ${this.options.profileToken}` : '摄像机没有媒体配置（GetProfiles 为空）')
    const token = profile.$.token
    const snapshot = (await call(cam, 'getSnapshotUri', { profileToken: token })).data as { uri?: string }
    const stream = (await call(cam, 'getStreamUri', { protocol: 'RTSP', profileToken: token })).data as { uri?: string }
    if (!snapshot?.uri) throw new MalformedXmlError('GetSnapshotUri returned no Uri')
    this.media = { profileToken: token, profileName: String(profile.name ?? token), snapshotUri: String(snapshot.uri), streamUri: String(stream?.uri ?? '') }
    this.seen()
  }

  private async pullEvents(): Promise<void> {
    const cam = this.cam!
    await call(cam, 'createPullPointSubscription')
    let subscribedAt = this.now()
    const interrupted = new Promise<never>((_, reject) => (this.interrupt = reject))
    interrupted.catch(() => {})
    while (!this.stopped) {
      const { xml } = await Promise.race([call(cam, 'pullMessages', { messageLimit: 10 }), interrupted])
      this.seen()
      for (const notification of parsePullMessages(xml)) {
        const plate = plateFromNotification(notification)
        if (plate) void this.emitPlate(plate.plate, plate.colour, plate.confidence, plate.at)
        const input = digitalInputFromNotification(notification)
        if (input) for (const listener of this.inputListeners) listener({ ...input, laneId: this.options.laneId })
      }
      if (this.now() - subscribedAt >= (this.options.renewAfterMs ?? RENEW_AFTER_MS)) {
        await Promise.race([call(cam, 'renew', {}), interrupted])
        subscribedAt = this.now()
      }
    }
  }

  private async emitPlate(plate: string, colour: string | null, confidence: number | null, at: number | null): Promise<void> {
    // ONVIF plate metadata carries no picture: the front photo is a snapshot taken as the event arrives.
    const image = await this.snapshot().catch(() => null)
    const read: CameraPlateRead = { laneId: this.options.laneId, plate, colour, confidence, at: at ?? this.now(), image }
    for (const listener of this.plateListeners) listener(read)
  }

  private startHealthChecks(): void {
    if (this.healthTimer) clearInterval(this.healthTimer)
    let checking = false
    this.healthTimer = setInterval(() => {
      if (checking || !this.cam) return
      checking = true
      call(this.cam, 'getSystemDateAndTime')
        .then(() => this.seen())
        .catch((error: unknown) => this.interrupt?.(error as Error))
        .finally(() => (checking = false))
    }, this.options.healthIntervalMs ?? 5_000)
  }

  private async unsubscribeQuietly(): Promise<void> {
    this.interrupt = null
    const cam = this.cam as (OnvifCam & { events?: { subscription?: unknown } }) | null
    if (!cam?.events?.subscription) return
    await call(cam, 'unsubscribe').catch(() => undefined)
  }

  private seen(): void {
    this.setHealth('online', null, this.now())
  }

  private problem(error: unknown): void {
    const { status, message } = describeCameraError(error)
    this.setHealth(status, message, this.current.lastSeenAt)
  }

  private setHealth(status: DeviceStatus, error: string | null, lastSeenAt: number | null): void {
    const changed = status !== this.current.status || error !== this.current.error
    this.current = { ...this.current, status, error, lastSeenAt }
    if (changed) for (const listener of this.healthListeners) listener(this.health())
  }
}

/** Calls an agsh/onvif callback method; resolves with its data and the raw XML of the reply. */
function call(cam: OnvifCam, method: string, ...args: unknown[]): Promise<{ data: unknown; xml: string }> {
  return new Promise((resolve, reject) => {
    let settled = false
    const fn = (cam as unknown as Record<string, (...a: unknown[]) => void>)[method]!
    try {
      fn.call(cam, ...args, (error: Error | null, data: unknown, xml: string) => {
        if (settled) return
        settled = true
        if (error) reject(error)
        else resolve({ data, xml: xml ?? '' })
      })
    } catch (error) {
      settled = true
      reject(error as Error)
    }
  })
}

/** What went wrong, in words for the technician, and whether the camera is away (offline) or answers wrongly (error). */
export function describeCameraError(error: unknown): { status: Exclude<DeviceStatus, 'online'>; message: string } {
  const err = error as (Error & { code?: string; cause?: { code?: string } }) | undefined
  const text = err?.message ?? String(error)
  const code = err?.code ?? err?.cause?.code ?? ''
  if (error instanceof HttpAuthError || /NotAuthorized|not Authorized|Digest authentication failed|Unauthorized/i.test(text)) {
    return { status: 'error', message: '摄像机拒绝认证：用户名或密码错误' }
  }
  if (error instanceof MalformedXmlError || /Wrong ONVIF SOAP response|Non-whitespace|Unclosed|Unexpected end|Invalid character|not well-formed/i.test(text)) {
    return { status: 'error', message: `摄像机回复格式错误（不是有效的 SOAP）：${text}` }
  }
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|socket hang up|Network timeout|fetch failed|aborted|timeout/i.test(`${code} ${text}`) || err?.name === 'TimeoutError') {
    return { status: 'offline', message: `摄像机无响应：${code || text}` }
  }
  return { status: 'error', message: `摄像机出错：${text}` }
}
