import type { Actor, Alarm, DeviceHealthView } from '@shared/contract'
import { deviceProblemText } from '@shared/device-text'
import { formatSpecDateTime } from '@shared/spec'
import { actorName } from '../api/actor'
import { storageProblem } from '../retention/storage-errors'
import { isoOf } from '../time'
import type { AlarmStore, NewAlarm } from './store'

/** A device's health as the alarms read it (every device adapter's `health()` has these fields). */
export type DeviceHealthChange = Omit<DeviceHealthView, 'lastSeenAt'>

/** Anything that reports device health: every device adapter does (`Device.onHealth`). */
export interface DeviceHealthSource {
  onHealth(listener: (health: DeviceHealthChange) => void): () => void
}

export interface AlarmServiceOptions {
  store: AlarmStore
  dwellAlarmMinutes: number
  repeatedRefusals: number
  repeatedRefusalWindowMinutes: number
  /** How long a device must stay offline or faulty before 设备离线 is raised (0: at once). */
  deviceOfflineAlarmMs?: number
  onRaised(alarm: Alarm): void
  onUpdated(alarm: Alarm): void
  now?: () => number
  log?: (line: string) => void
}

const DEVICE_KIND: Record<DeviceHealthChange['kind'], string> = { camera: '摄像机', barrier: '道闸', display: '显示屏', scale: '地磅' }
/** Alarms kept in memory at most while the store refuses writes. */
const UNSAVED_LIMIT = 200

/** An alarm the store could not take (disk full): shown with a negative id until it is stored or acknowledged. */
interface UnsavedAlarm {
  alarm: Alarm
  input: NewAlarm
  raisedAt: number
  once: boolean
}

/** Raises, lists and acknowledges the guard's alarms; each raise is stored first, then published. */
export class AlarmService {
  private readonly now: () => number
  private timer: NodeJS.Timeout | null = null
  private readonly unsaved: UnsavedAlarm[] = []
  private nextUnsavedId = -1
  /** Devices off now whose alarm waits out `deviceOfflineAlarmMs`, by dedup key: the timer and the latest health. */
  private readonly offDevices = new Map<string, { timer: NodeJS.Timeout; health: DeviceHealthChange }>()

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

  /** A forced pass's passage, recorded after its alarm (the camera snapshot is awaited): the alarm then shows its photo. */
  attachPassage(alarmId: number, passageId: number): void {
    if (alarmId < 0) return
    const alarm = this.options.store.attachPassage(alarmId, passageId)
    if (alarm) this.options.onUpdated(alarm)
  }

  /** 遥控抬杆: the arm rose with no command of the booth (a remote control or the controller's own button). */
  remoteRaise(input: { laneId: string; plate: string | null; passageId: number | null; at: number }): Alarm | null {
    const who = input.plate ? `车辆 ${input.plate}` : '未识别车牌的车辆'
    return this.raise({
      kind: 'remote_raise',
      laneId: input.laneId,
      plate: input.plate,
      passageId: input.passageId,
      message: `道闸被遥控抬起（本机未发出抬杆指令），${who}，已记录通行并标记为遥控抬杆，请核查`
    })
  }

  /** Called after each refused passage: N refusals of one plate within the window raise one alarm until acknowledged. */
  refusal(input: { laneId: string; plate: string; at: number }): Alarm | null {
    const { repeatedRefusals, repeatedRefusalWindowMinutes } = this.options
    const count = this.options.store.refusalsSince(input.plate, input.at - repeatedRefusalWindowMinutes * 60_000)
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
        `未授权设备 ${input.source} 推送车牌，已拒收，未放行、未记录（${input.reason}）。` +
        '如是本车道新换的摄像机，请管理员在配置文件中该车道摄像机的允许地址里加入其地址或配置推送密钥；否则请检查局域网中是谁在冒充摄像机'
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
        `摄像机时间（${cameraTime}）比本机校正后的时间${input.cameraAt > input.boothAt ? '快' : '慢'} ${off}，` +
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

  /** Free space where the data lives is below the floor, or writes fail for want of it: one alarm until acknowledged. */
  diskFull(message: string): Alarm | null {
    return this.raise({ kind: 'disk_full', dedupKey: 'disk', message })
  }

  /** B7.5 09 车辆滞留超过指定时间: one alarm per entry, ever. */
  checkDwell(): Alarm[] {
    this.storeUnsaved()
    const now = this.now()
    const minutes = this.options.dwellAlarmMinutes
    const raised: Alarm[] = []
    for (const entry of this.options.store.insideSince(now - minutes * 60_000)) {
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

  /**
   * Subscribes to device health. A device that stays offline or faulty for `deviceOfflineAlarmMs` raises one alarm,
   * open until the device is back (acknowledging it does not resolve it); a blip shorter than that raises nothing.
   */
  watch(sources: DeviceHealthSource[]): () => void {
    const unsubscribes = sources.map((source) => source.onHealth((health) => this.deviceHealth(health)))
    return () => {
      unsubscribes.forEach((unsubscribe) => unsubscribe())
      this.forgetOffDevices()
    }
  }

  private deviceHealth(health: DeviceHealthChange): void {
    const key = `device:${health.id}`
    const off = this.offDevices.get(key)
    if (health.status === 'online') {
      if (off) clearTimeout(off.timer)
      this.offDevices.delete(key)
      this.resolve(key)
      return
    }
    if (off) {
      off.health = health
      return
    }
    const delay = this.options.deviceOfflineAlarmMs ?? 0
    if (delay === 0) return void this.raiseDeviceAlarm(key, health)
    const timer = setTimeout(() => {
      const latest = this.offDevices.get(key)?.health ?? health
      this.offDevices.delete(key)
      this.raiseDeviceAlarm(key, latest)
    }, delay)
    timer.unref()
    this.offDevices.set(key, { timer, health })
  }

  private raiseDeviceAlarm(key: string, health: DeviceHealthChange): void {
    this.raise({
      kind: 'device_offline',
      laneId: health.laneId,
      dedupKey: key,
      // The lane shows by its name beside the message; the device by its kind (ids and driver English stay in the log).
      message: `${DEVICE_KIND[health.kind]}${health.status === 'offline' ? '离线' : '故障'}${health.error ? `：${deviceProblemText(health.error)}` : ''}`
    })
  }

  /** The device is back: its alarm, acknowledged or not, is resolved and leaves the open list. */
  private resolve(key: string): void {
    try {
      const resolved = this.options.store.resolve(key, this.now())
      if (resolved) this.options.onUpdated(resolved)
    } catch (error) {
      if (storageProblem(error) === null) throw error
      this.options.log?.(`alarm ${key} not marked resolved: ${(error as Error).message}`)
    }
  }

  private forgetOffDevices(): void {
    for (const { timer } of this.offDevices.values()) clearTimeout(timer)
    this.offDevices.clear()
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
    this.forgetOffDevices()
  }

  list(limit: number, openOnly: boolean): Alarm[] {
    return [...this.unsaved.map((entry) => entry.alarm), ...this.options.store.list(limit, openOnly)].slice(0, limit)
  }

  acknowledge(id: number, note: string, actor: Actor | null): Alarm | null {
    const index = this.unsaved.findIndex((entry) => entry.alarm.id === id)
    if (index >= 0) {
      const [entry] = this.unsaved.splice(index, 1)
      const alarm = { ...entry!.alarm, acknowledgedAt: isoOf(this.now()), acknowledgedBy: actorName(actor), note }
      this.options.onUpdated(alarm)
      return alarm
    }
    const before = this.options.store.get(id)
    if (!before) return null
    const alarm = this.options.store.acknowledge(id, actorName(actor), note, this.now())
    if (alarm && before.acknowledgedAt === null) this.options.onUpdated(alarm)
    return alarm
  }

  /**
   * Stored first, then published. When the store refuses the write (a full or failing disk) the alarm is still
   * shown — kept in memory with a negative id — and stored once the store takes writes again.
   */
  private raise(alarm: NewAlarm, once = false): Alarm | null {
    this.storeUnsaved()
    const now = this.now()
    let raised: Alarm | null
    try {
      raised = this.options.store.raise(alarm, now, once)
    } catch (error) {
      const problem = storageProblem(error)
      if (problem === null) throw error
      raised = this.keepUnsaved(alarm, now, once, problem)
    }
    if (raised) this.options.onRaised(raised)
    return raised
  }

  private keepUnsaved(input: NewAlarm, raisedAt: number, once: boolean, problem: string): Alarm | null {
    if (input.dedupKey && this.unsaved.some((entry) => entry.input.dedupKey === input.dedupKey)) return null
    if (this.unsaved.length >= UNSAVED_LIMIT) return null
    this.options.log?.(`alarm ${input.kind} could not be stored (${problem}); shown from memory until it can be`)
    const alarm: Alarm = {
      id: this.nextUnsavedId--,
      kind: input.kind,
      laneId: input.laneId ?? null,
      plate: input.plate ?? null,
      message: `${input.message}（此告警暂未能存档：${problem}）`,
      raisedAt: new Date(raisedAt).toISOString(),
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
      warningType: input.warningType ?? null
    }
    this.unsaved.unshift({ alarm, input, raisedAt, once })
    return alarm
  }

  /** Alarms kept in memory go to the store as soon as it takes writes again; the UI swaps the entry for the stored one. */
  private storeUnsaved(): void {
    while (this.unsaved.length > 0) {
      const entry = this.unsaved[this.unsaved.length - 1]!
      let stored: Alarm | null
      try {
        stored = this.options.store.raise(entry.input, entry.raisedAt, entry.once)
      } catch {
        return
      }
      this.unsaved.pop()
      this.options.onUpdated({ ...entry.alarm, acknowledgedAt: new Date(this.now()).toISOString(), acknowledgedBy: '系统', note: stored ? `已存档为告警 ${stored.id}` : '已有相同告警' })
      if (stored) this.options.onRaised(stored)
    }
  }
}
