import type { Actor, Alarm } from '@shared/contract'
import { formatSpecDateTime } from '@shared/spec'
import type { DeviceHealth } from '../../booth/devices'
import type { Store } from '../../booth/store'

/** Anything that reports device health: every device adapter does (`Device.onHealth`). */
export interface DeviceHealthSource {
  onHealth(listener: (health: DeviceHealth) => void): () => void
}

export interface AlarmServiceOptions {
  store: Store
  dwellAlarmMinutes: number
  repeatedRefusals: number
  repeatedRefusalWindowMinutes: number
  onRaised(alarm: Alarm): void
  onUpdated(alarm: Alarm): void
  now?: () => number
}

const DEVICE_KIND: Record<DeviceHealth['kind'], string> = { camera: '摄像机', barrier: '道闸', display: '显示屏', scale: '地磅' }

/** Raises, lists and acknowledges the guard's alarms; each raise is stored first, then published. */
export class AlarmService {
  private readonly now: () => number
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly options: AlarmServiceOptions) {
    this.now = options.now ?? Date.now
  }

  /** B7.5 07 车辆闯岗. */
  forcedPass(input: { laneId: string; plate: string | null; passageId: number | null; at: number }): Alarm | null {
    const who = input.plate ?? '未识别车辆'
    return this.raise({
      kind: 'forced_pass',
      warningType: '07',
      laneId: input.laneId,
      plate: input.plate,
      passageId: input.passageId,
      message: `${who} 在道闸未抬起时通过（闯岗），已拍照记录并上报`
    })
  }

  /** Called after each refused passage: N refusals of one plate within the window raise one alarm until acknowledged. */
  refusal(input: { laneId: string; plate: string; at: number }): Alarm | null {
    const { repeatedRefusals, repeatedRefusalWindowMinutes } = this.options
    const count = this.options.store.passages.refusalsSince(input.plate, input.at - repeatedRefusalWindowMinutes * 60_000)
    if (count < repeatedRefusals) return null
    return this.raise({
      kind: 'repeated_refusal',
      laneId: input.laneId,
      plate: input.plate,
      dedupKey: `refusal:${input.plate}`,
      message: `${input.plate} 在 ${repeatedRefusalWindowMinutes} 分钟内被拒绝 ${count} 次，请核查`
    })
  }

  /** The booth clock is off the platform's by more than a minute (spec 4.1.1 datetime): one alarm until acknowledged. */
  clockSkew(offsetMs: number): Alarm | null {
    const seconds = Math.round(Math.abs(offsetMs) / 1000)
    return this.raise({
      kind: 'clock_skew',
      dedupKey: 'clock',
      message: `本机时钟比市级平台${offsetMs > 0 ? '慢' : '快'} ${seconds} 秒，记录已按平台时间校正，请校准本机时钟`
    })
  }

  /**
   * A plate push refused at the camera port (not from the lane's camera, wrong key): nothing was recorded. One alarm
   * per sender until acknowledged; the ingress also limits how often it asks.
   */
  cameraRefused(input: { laneId: string | null; source: string; reason: string }): Alarm | null {
    return this.raise({
      kind: 'camera_refused',
      laneId: input.laneId,
      dedupKey: `camera-refused:${input.source}`,
      message:
        `未授权设备 ${input.source} 推送车牌${input.laneId ? `到车道 ${input.laneId}` : ''}，已拒收，未放行、未记录（${input.reason}）。` +
        '如是本车道新换的摄像机，请管理员在配置 lanes[].camera.allowFrom 中加入其地址或配置推送密钥；否则请检查局域网中是谁在冒充摄像机'
    })
  }

  /** A camera's time too far from the booth's: the read was recorded with the booth's time. One alarm per lane until acknowledged. */
  cameraClock(input: { laneId: string; cameraAt: number; boothAt: number }): Alarm | null {
    const minutes = Math.round(Math.abs(input.cameraAt - input.boothAt) / 60_000)
    const off = minutes >= 2 * 24 * 60 ? `${Math.round(minutes / 1440)} 天` : minutes >= 120 ? `${Math.round(minutes / 60)} 小时` : `${minutes} 分钟`
    const cameraTime = Number.isFinite(new Date(input.cameraAt).getTime()) ? formatSpecDateTime(new Date(input.cameraAt)) : String(input.cameraAt)
    return this.raise({
      kind: 'camera_clock',
      laneId: input.laneId,
      dedupKey: `camera-clock:${input.laneId}`,
      message:
        `车道 ${input.laneId} 摄像机时间（${cameraTime}）比本机校正后的时间${input.cameraAt > input.boothAt ? '快' : '慢'} ${off}，` +
        `识别记录已按本机时间 ${formatSpecDateTime(new Date(input.boothAt))} 记录，摄像机时间留存备查。请校准摄像机时钟（开启 NTP 校时或手动对时）`
    })
  }

  /** The oldest upload has waited longer than `thresholdMinutes`: one alarm until acknowledged. */
  syncBacklog(backlog: { pending: number; oldestPendingAgeMs: number | null }, thresholdMinutes: number): Alarm | null {
    if (backlog.oldestPendingAgeMs === null || backlog.oldestPendingAgeMs < thresholdMinutes * 60_000) return null
    const hours = (backlog.oldestPendingAgeMs / 3_600_000).toFixed(1)
    return this.raise({
      kind: 'sync_backlog',
      dedupKey: 'sync-backlog',
      message: `${backlog.pending} 条记录等待上传，最早的已等待 ${hours} 小时，请检查网络和市级平台`
    })
  }

  /** B7.5 09 车辆滞留超过指定时间: one alarm per entry, ever. */
  checkDwell(): Alarm[] {
    const now = this.now()
    const minutes = this.options.dwellAlarmMinutes
    const raised: Alarm[] = []
    for (const entry of this.options.store.passages.insideSince(now - minutes * 60_000)) {
      const hours = ((now - entry.enteredAt) / 3_600_000).toFixed(1)
      const alarm = this.raise(
        {
          kind: 'dwell_overtime',
          warningType: '09',
          laneId: entry.laneId,
          plate: entry.plate,
          passageId: entry.passageId,
          dedupKey: `dwell:${entry.passageId}`,
          message: `${entry.plate} 进厂已 ${hours} 小时，超过 ${minutes} 分钟仍未出厂`
        },
        true
      )
      if (alarm) raised.push(alarm)
    }
    return raised
  }

  /** Subscribes to device health: a device going offline or answering wrongly raises one alarm until acknowledged. */
  watch(sources: DeviceHealthSource[]): () => void {
    const unsubscribes = sources.map((source) =>
      source.onHealth((health) => {
        if (health.status === 'online') return
        this.raise({
          kind: 'device_offline',
          laneId: health.laneId,
          dedupKey: `device:${health.id}`,
          message: `${health.laneId ? `车道 ${health.laneId} ` : ''}${DEVICE_KIND[health.kind]} ${health.id} ${health.status === 'offline' ? '离线' : '故障'}${health.error ? `：${health.error}` : ''}`
        })
      })
    )
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe())
  }

  /** Checks dwell every `intervalMs`. */
  start(intervalMs: number): void {
    this.stop()
    this.timer = setInterval(() => this.checkDwell(), intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  list(limit: number, openOnly: boolean): Alarm[] {
    return this.options.store.alarms.list(limit, openOnly)
  }

  acknowledge(id: number, note: string, actor: Actor | null): Alarm | null {
    const before = this.options.store.alarms.get(id)
    if (!before) return null
    const alarm = this.options.store.alarms.acknowledge(id, actor?.name ?? '未登录', note, this.now())
    if (alarm && before.acknowledgedAt === null) this.options.onUpdated(alarm)
    return alarm
  }

  private raise(alarm: Parameters<Store['alarms']['raise']>[0], once = false): Alarm | null {
    const raised = this.options.store.alarms.raise(alarm, this.now(), once)
    if (raised) this.options.onRaised(raised)
    return raised
  }
}
