import { manualReleaseReasons, type Actor, type LaneState, type Passage, type PlateCorrectionResult, type VehicleClass } from '@shared/contract'
import type { AlarmService } from '../../core/alarms'
import { NOBODY } from '../../core/api/actor'
import { deviceProblemText } from '@shared/device-text'
import { ApiFailure } from '../../core/api/errors'
import type { LaneConfig } from '../../core/config'
import { storageProblem } from '../../core/retention'
import type { DisplayColour, LaneDevices } from '../devices'
import type { Enterprise } from '../../core/platform'
import type { Store } from '../store'
import { initialLaneState, laneStateView, step, type LaneCommand, type LaneEvent, type LaneMachineState, type LaneTiming, type PassOutcome, type RaiseSource, type TruckRead } from './machine'
import { PassageRecorder, type ReadPhoto } from './recorder'
import { goodsRecordedForVisit, PlatformReachability, verifyAndDecide, type VehicleVerifier, type Verified } from './verify'

/** A plate as read by a camera or typed by the guard, already normalised and validated at the boundary. */
export interface PlateRead {
  laneId: string
  plate: string
  colour: string
  /** When the plate was read (epoch ms). */
  at: number
  source: 'manual' | 'lpr'
  photos?: ReadPhoto[]
  /** The camera read's row (store.cameraReads): marked with its passage in the transaction that records it. */
  inboxId?: number
  /** 无牌车 / 临时车 entered by the guard: not asked of the platform, held for the guard, never merged. */
  unplated?: 'none' | 'temporary'
  /** The vehicle's class as the camera saw it (shown to the guard, kept on the passage). */
  vehicleClass?: VehicleClass | null
}

export interface PlateReadResult {
  /** recorded: this read was decided now; merged: a duplicate of a truck already handled; queued: waits its turn. */
  outcome: 'recorded' | 'merged' | 'queued'
  /** The passage this read belongs to, once decided (null while queued). */
  passage: Passage | null
  /** Problems that did not stop the passage, e.g. a photo that was not a JPEG. */
  warnings: string[]
  /** Resolves with the passage when this read's truck is decided (at once unless queued). */
  decided: Promise<Passage | null>
}

export class UnknownLaneError extends ApiFailure {
  override name = 'UnknownLaneError'
  constructor(message: string) {
    super('unknown_lane', message)
  }
}

/** A manual action that cannot be done as asked. */
export class LaneActionError extends ApiFailure {
  override name = 'LaneActionError'
  constructor(code: 'invalid_input' | 'not_found' | 'unavailable', message: string) {
    super(code, message)
  }
}

export interface LaneDriverOptions {
  lanes: LaneConfig[]
  enterprise: Enterprise
  store: Store
  verifier: VehicleVerifier
  verifyBudgetMs: number
  timing: LaneTiming & { offlineRetryMs: number }
  alarms: AlarmService
  devices?: (laneId: string) => LaneDevices
  /** A JPEG from the lane's camera, or null when the lane has none: the photo of a forced pass nobody read a plate of. */
  snapshot?: (laneId: string) => Promise<Uint8Array> | null
  onPassage(event: 'passage.recorded' | 'passage.updated', passage: Passage): void
  onState(state: LaneState): void
  /** A decision to be spoken by the booth PC (lanes with `voice: "pc"`). */
  onSpeak?(speech: { laneId: string; text: string; at: number }): void
  /** The audit log: every raise of an arm with its source (`barrier.raised`). */
  audit?: (entry: { actor: null; action: string; subject: string; detail: Record<string, unknown> }) => void
  now?: () => number
  log?: (line: string) => void
}

const TONE: Record<'green' | 'red' | 'yellow', DisplayColour> = { green: 'green', red: 'red', yellow: 'yellow' }
/** Refusals grounded on a control: releasing such a truck counts as a violation. */
const CONTROL_REASONS = new Set(['platform_control', 'cache_control', 'measure_emission_ban', 'measure_stop_transport'])
/** cphm/cpys of a forced pass on an idle lane: no plate was read (B7.1 5 其他). */
const UNREAD_PLATE = '未识别'
const UNREAD_COLOUR = '5'
/** A remote-control raise with no truck read: held by nobody, decided by nobody. */
const REMOTE_RAISE_DECISION = {
  decision: 'guard',
  reasonCode: 'remote_raise_unread',
  reasonText: '遥控抬杆：道闸被遥控抬起，本机未发出指令，未识别车牌',
  ledText: '',
  emissionStandard: '',
  fuelType: '',
  decidedOffline: false
} as const
const RAISE_SOURCE_TEXT: Record<RaiseSource, string> = { plate: '车牌自动放行', guard: '值守人员软件抬杆', remote: '遥控抬杆', hand: '手动抬杆' }

interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  // A failure is reported to whoever awaits it; nobody awaiting is fine.
  promise.catch(() => {})
  return { promise, resolve, reject }
}

/** 无牌车 / 临时车: the platform has nothing to verify; the guard decides with the truck in front of them. */
function unplatedDecision(kind: 'none' | 'temporary'): Verified {
  const reasonText = kind === 'none' ? '无牌车：平台无法核验，请人工核验后放行或拒绝' : '临时号牌车辆：平台无法核验，请核对临时号牌后放行或拒绝'
  return { decision: 'guard', reasonCode: kind === 'none' ? 'unplated' : 'temporary_plate', reasonText, ledText: '请稍候 人工核验', verdict: null, source: 'none', decidedOffline: false }
}

/** How many finished reads keep their decision for late duplicates. */
const DECISIONS_KEPT = 256

/** One lane: the pure machine plus the I/O it asks for (verification, store, barrier, display, timers). */
class LaneController {
  state: LaneMachineState
  private timer: NodeJS.Timeout | null = null
  /** Set by stop(): a verification finishing or a barrier signal arriving afterwards must not touch the closed store. */
  private stopped = false
  private readonly decisions = new Map<number, Deferred<Passage | null>>()
  private readonly pending = new Map<number, { read: PlateRead; warnings: string[]; verified: Verified | null }>()
  private readonly passageIds = new Map<number, number>()
  /** Why a read's passage could not be written (disk full …), for the caller waiting on it. */
  private readonly recordErrors = new Map<number, string>()
  /** Barrier outcomes the store refused (disk full): the passage's uploads stay held until one is written. */
  private readonly unfinalized = new Map<number, { outcome: PassOutcome; at: number; raiseSource: RaiseSource | null }>()
  private readonly unsubscribe: (() => void) | null

  constructor(
    readonly lane: LaneConfig,
    private readonly devices: LaneDevices,
    private readonly recorder: PassageRecorder,
    private readonly reachability: PlatformReachability,
    private readonly options: LaneDriverOptions,
    private readonly now: () => number,
    private readonly newReadId: () => number
  ) {
    this.state = initialLaneState(lane.id, devices.barrier !== null)
    // Stamped on the lane's clock, the one its deadlines run on (the barrier's own stamp is the PC's, uncorrected).
    this.unsubscribe = devices.barrier?.onSignals((signals) => this.dispatch({ type: 'signals', at: this.now(), arm: signals.arm, loopOccupied: signals.loopOccupied })) ?? null
    if (devices.barrier) {
      const signals = devices.barrier.signals()
      this.state = { ...this.state, barrier: { arm: signals.arm, loopOccupied: signals.loopOccupied }, settledArm: signals.arm }
    }
  }

  async read(read: PlateRead, id: number): Promise<PlateReadResult> {
    const truck: TruckRead = { id, plate: read.plate, colour: read.colour, at: read.at, ...(read.unplated ? { unique: true } : {}), ...(read.vehicleClass ? { vehicleClass: read.vehicleClass } : {}) }
    const decision = deferred<Passage | null>()
    this.decisions.set(id, decision)
    const entry = { read, warnings: [] as string[], verified: null as Verified | null }
    this.pending.set(id, entry)
    const commands = this.dispatch({ type: 'plate', at: this.now(), read: truck })
    const merged = commands.find((command) => command.type === 'merged' && command.read.id === id)
    if (merged?.type === 'merged') {
      this.decisions.delete(id)
      this.pending.delete(id)
      const into = this.decisions.get(merged.intoReadId)?.promise ?? Promise.resolve(null)
      // A duplicate of a queued truck does not wait for its turn.
      if (this.state.queue.some((truck) => truck.id === merged.intoReadId)) return { outcome: 'merged', passage: null, warnings: [], decided: into }
      const passage = await into
      const fresh = passage ? this.recorder.passage(passage.id) : null
      return { outcome: 'merged', passage: fresh, warnings: [], decided: Promise.resolve(fresh) }
    }
    if (commands.some((command) => command.type === 'queued' && command.read.id === id)) {
      return { outcome: 'queued', passage: null, warnings: [], decided: decision.promise }
    }
    const passage = await decision.promise
    return { outcome: 'recorded', passage, warnings: entry.warnings, decided: decision.promise }
  }

  dispatch(event: LaneEvent): LaneCommand[] {
    if (this.stopped) return []
    const { state, commands } = step(this.state, event, this.options.timing)
    const changed = state !== this.state
    this.state = state
    for (const command of commands) {
      try {
        this.execute(command)
      } catch (error) {
        // One failed step (a full disk refusing a write) must not stop the lane's other steps or its timers.
        this.options.log?.(`lane ${this.lane.id}: ${command.type} failed: ${(error as Error).stack ?? String(error)}`)
      }
    }
    this.schedule()
    if (changed) this.options.onState(this.view())
    return commands
  }

  view(): LaneState {
    return laneStateView(this.state, (readId) => this.passageIds.get(readId) ?? null)
  }

  passageOf(readId: number): number | null {
    return this.passageIds.get(readId) ?? null
  }

  /** The read of the truck in the lane, if its passage is `passageId`. */
  currentReadOf(passageId: number): number | null {
    const current = this.state.current
    return current && this.passageIds.get(current.read.id) === passageId ? current.read.id : null
  }

  /** 开闸 / 关闸 from the booth: the barrier moved by software; the machine follows from the barrier's signals. */
  async moveBarrier(action: 'open' | 'close'): Promise<void> {
    const barrier = this.devices.barrier
    if (!barrier) throw new LaneActionError('not_found', `${this.lane.name}没有道闸`)
    try {
      await (action === 'open' ? barrier.open() : barrier.lower())
    } catch (error) {
      this.options.log?.(`lane ${this.lane.id}: manual barrier ${action} failed: ${(error as Error).message}`)
      throw new LaneActionError('unavailable', `道闸未执行${action === 'open' ? '开闸' : '关闸'}：${deviceProblemText((error as Error).message)}`)
    }
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.unsubscribe?.()
  }

  private execute(command: LaneCommand): void {
    switch (command.type) {
      case 'verify':
        void this.verify(command.read)
        return
      case 'open_barrier':
        this.devices.barrier?.open().catch((error: unknown) => {
          this.options.log?.(`lane ${this.lane.id}: barrier open failed: ${(error as Error).message}`)
          this.dispatch({ type: 'open_failed', at: this.now(), readId: command.readId, message: (error as Error).message })
        })
        return
      case 'lower_barrier':
        this.devices.barrier?.lower().catch((error: unknown) => this.options.log?.(`lane ${this.lane.id}: barrier lower failed: ${(error as Error).message}`))
        return
      case 'show': {
        const colour = TONE[command.tone]
        const lines = [...(command.plate ? [{ text: command.plate, colour }] : []), { text: command.text, colour }]
        const voice = command.voice ?? undefined
        this.devices.display?.show(lines, this.lane.voice === 'display' ? voice : undefined).catch((error: unknown) => this.options.log?.(`lane ${this.lane.id}: display failed: ${(error as Error).message}`))
        if (voice && this.lane.voice === 'pc') this.options.onSpeak?.({ laneId: this.lane.id, text: voice, at: this.now() })
        return
      }
      case 'record':
        this.record(command.readId)
        return
      case 'finalize': {
        const passageId = this.passageIds.get(command.readId)
        if (passageId === undefined) {
          this.options.log?.(`lane ${this.lane.id}: read ${command.readId} has no recorded passage to finalize`)
          return
        }
        this.retryUnfinalized()
        let passage: Passage
        try {
          passage = this.recorder.finalize(passageId, command.outcome, command.at, command.raiseSource)
        } catch (error) {
          this.unfinalized.set(passageId, { outcome: command.outcome, at: command.at, raiseSource: command.raiseSource })
          this.forget()
          throw error
        }
        this.options.onPassage('passage.updated', passage)
        if (command.raiseSource) this.auditRaise(passage, command.raiseSource)
        if (passage.decision === 'refuse') this.options.alarms.refusal({ laneId: this.lane.id, plate: passage.plate, at: command.at })
        this.forget()
        return
      }
      case 'forced_alarm': {
        const alarm = this.options.alarms.forcedPass({ laneId: this.lane.id, plate: command.plate, passageId: command.readId === null ? null : (this.passageIds.get(command.readId) ?? null), at: command.at })
        // An unread truck's passage is recorded once the camera's snapshot is in: the alarm is then tied to it.
        if (command.readId === null) void this.recordUnreadForcedPass(command.at, alarm?.id ?? null)
        return
      }
      case 'remote_raise': {
        const passageId = command.readId === null ? null : (this.passageIds.get(command.readId) ?? null)
        this.options.log?.(`lane ${this.lane.id}: arm raised with no command of ours (remote control)${command.plate ? `, ${command.plate} in the lane` : ''}`)
        this.options.alarms.remoteRaise({ laneId: this.lane.id, plate: command.plate, passageId, at: command.at })
        if (command.readId === null) this.startUnreadRaise(command.at)
        return
      }
      case 'merged':
      case 'queued':
        return
    }
  }

  /** A remote-control raise on an idle lane: a passage of 未识别 follows the arm (passed if the loop sees a vehicle). */
  private startUnreadRaise(at: number): void {
    const id = this.newReadId()
    const read: PlateRead = { laneId: this.lane.id, plate: UNREAD_PLATE, colour: UNREAD_COLOUR, at, source: 'lpr' }
    const { decision, reasonCode, reasonText, ledText, decidedOffline } = REMOTE_RAISE_DECISION
    const verified: Verified = { decision, reasonCode, reasonText, ledText, decidedOffline, verdict: null, source: 'none' }
    this.pending.set(id, { read, warnings: [], verified })
    this.dispatch({ type: 'unread_raise', at, read: { id, plate: UNREAD_PLATE, colour: UNREAD_COLOUR, at }, decision: { ...REMOTE_RAISE_DECISION } })
  }

  private auditRaise(passage: Passage, source: RaiseSource): void {
    this.options.audit?.({
      actor: null,
      action: 'barrier.raised',
      subject: `passageId=${passage.id}`,
      detail: { laneId: this.lane.id, lsh: passage.lsh, plate: passage.plate, source, sourceText: RAISE_SOURCE_TEXT[source], bgzt: passage.bgzt, gateSignal: passage.gateSignal ?? null }
    })
  }

  /** Outcomes that could not be written are tried again before the next one is: stops failing once there is room. */
  private retryUnfinalized(): void {
    for (const [passageId, { outcome, at, raiseSource }] of this.unfinalized) {
      try {
        this.options.onPassage('passage.updated', this.recorder.finalize(passageId, outcome, at, raiseSource))
      } catch {
        return
      }
      this.unfinalized.delete(passageId)
      this.options.log?.(`lane ${this.lane.id}: passage ${passageId} finalized after an earlier failure`)
    }
  }

  private async verify(truck: TruckRead): Promise<void> {
    const entry = this.pending.get(truck.id)
    const decision = this.decisions.get(truck.id)
    let verified: Verified
    try {
      verified = entry?.read.unplated
        ? unplatedDecision(entry.read.unplated)
        : await verifyAndDecide(
        { verifier: this.options.verifier, store: this.options.store, budgetMs: this.options.verifyBudgetMs, reachability: this.reachability, log: this.options.log, now: this.now },
        { plate: truck.plate, colour: truck.colour, direction: this.lane.direction, laneId: this.lane.id }
      )
    } catch (error) {
      this.options.log?.(`lane ${this.lane.id}: ${truck.plate} could not be decided: ${(error as Error).stack ?? String(error)}`)
      this.dispatch({ type: 'failed', at: this.now(), readId: truck.id })
      decision?.reject(error)
      return
    }
    if (entry) entry.verified = verified
    this.dispatch({
      type: 'decided',
      at: this.now(),
      readId: truck.id,
      decision: {
        decision: verified.decision,
        reasonCode: verified.reasonCode,
        reasonText: verified.reasonText,
        ledText: verified.ledText,
        emissionStandard: verified.verdict?.emissionStandard ?? '',
        fuelType: verified.verdict?.fuelType ?? '',
        decidedOffline: verified.decidedOffline
      }
    })
    const passageId = this.passageIds.get(truck.id)
    if (passageId === undefined) {
      const cause = this.recordErrors.get(truck.id)
      this.recordErrors.delete(truck.id)
      this.dispatch({ type: 'unrecorded', at: this.now(), readId: truck.id })
      decision?.reject(new LaneActionError('unavailable', `${truck.plate} 的通行记录未能保存${cause ? `：${cause}` : ''}`))
    } else decision?.resolve(this.recorder.passage(passageId))
  }

  /** The passage of a decided read, with a fresh platform verdict cached in the same transaction. */
  private record(readId: number): void {
    const entry = this.pending.get(readId)
    const verified = entry?.verified
    if (!entry || !verified) return
    const { read } = entry
    try {
      const { passageId, warnings } = this.recorder.record({
        lane: this.lane,
        plate: read.plate,
        colour: read.colour,
        at: read.at,
        source: read.source,
        vehicleClass: read.vehicleClass ?? null,
        photos: read.photos ?? [],
        decision: { decision: verified.decision, reasonCode: verified.reasonCode, reasonText: verified.reasonText },
        decidedOffline: verified.decidedOffline,
        verdict: verified.verdict,
        cacheVerdict: verified.source === 'platform',
        ...(read.inboxId !== undefined ? { inboxId: read.inboxId } : {})
      })
      entry.warnings = warnings
      this.passageIds.set(readId, passageId)
      this.options.onPassage('passage.recorded', this.recorder.passage(passageId))
    } catch (error) {
      // The barrier may already be open: the truck is not held up, but the guard must know the record is missing.
      this.recordErrors.set(readId, storageProblem(error) ?? (error as Error).message)
      this.options.log?.(`lane ${this.lane.id}: passage of ${read.plate} could not be recorded: ${(error as Error).stack ?? String(error)}`)
    }
  }

  /**
   * 闯岗 on an idle lane: nobody read a plate. The passage is recorded as forced (plate 未识别, photos zplx 3) with a
   * snapshot from the lane's camera if it has one, closed at once and released for upload. The alarm went first.
   */
  private async recordUnreadForcedPass(at: number, alarmId: number | null): Promise<void> {
    const photos: ReadPhoto[] = []
    const snapshot = this.options.snapshot?.(this.lane.id)
    if (snapshot) {
      try {
        photos.push({ zpbh: '1', jpeg: await snapshot })
      } catch (error) {
        this.options.log?.(`lane ${this.lane.id}: no snapshot of the forced pass: ${(error as Error).message}`)
      }
    }
    try {
      const { passageId } = this.recorder.record({
        lane: this.lane,
        plate: UNREAD_PLATE,
        colour: UNREAD_COLOUR,
        at,
        source: 'lpr',
        photos,
        decision: { decision: 'refuse', reasonCode: 'forced_unread', reasonText: '闯岗：道闸未抬起时车辆通过，未识别车牌' },
        decidedOffline: false,
        verdict: null,
        cacheVerdict: false
      })
      this.options.onPassage('passage.recorded', this.recorder.passage(passageId))
      this.options.onPassage('passage.updated', this.recorder.finalize(passageId, 'forced', at))
      if (alarmId !== null) this.options.alarms.attachPassage(alarmId, passageId)
    } catch (error) {
      this.options.log?.(`lane ${this.lane.id}: forced pass could not be recorded: ${(error as Error).stack ?? String(error)}`)
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const deadline = this.state.deadline
    if (deadline === null) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.dispatch({ type: 'tick', at: Math.max(this.now(), deadline) })
    }, Math.max(0, deadline - this.now()))
  }

  /** Drops what finished reads no longer need, keeping decisions for late duplicates. */
  private forget(): void {
    const live = new Set([this.state.current?.read.id, ...this.state.queue.map((truck) => truck.id)])
    for (const id of this.pending.keys()) if (!live.has(id)) this.pending.delete(id)
    while (this.decisions.size > DECISIONS_KEPT) {
      const oldest = this.decisions.keys().next().value as number
      this.decisions.delete(oldest)
      this.passageIds.delete(oldest)
    }
  }
}

/**
 * All lanes of the booth: plate reads in, manual decisions, lane states out. Each lane runs its own pure machine
 * (machine.ts); this class only routes and carries out the I/O.
 */
export class LaneDriver {
  private readonly controllers: Map<string, LaneController>
  private readonly recorder: PassageRecorder
  private readonly now: () => number
  private nextReadId = 1

  constructor(private readonly options: LaneDriverOptions) {
    this.now = options.now ?? Date.now
    this.recorder = new PassageRecorder(options.store, options.enterprise, this.now)
    // One platform for all lanes: what one lane learned about reaching it holds for the others.
    const reachability = new PlatformReachability(options.timing.offlineRetryMs, this.now)
    const released = this.recorder.releaseOrphans()
    if (released.length > 0) options.log?.(`released ${released.length} passage(s) whose barrier outcome never came (bgzt 0)`)
    this.controllers = new Map(
      options.lanes.map((lane) => [lane.id, new LaneController(lane, options.devices?.(lane.id) ?? { barrier: null, display: null, scale: null }, this.recorder, reachability, options, this.now, () => this.nextReadId++)])
    )
  }

  private controller(laneId: string): LaneController {
    const controller = this.controllers.get(laneId)
    if (!controller) throw new UnknownLaneError(`未知车道：${laneId}`)
    return controller
  }

  handlePlateRead(read: PlateRead): Promise<PlateReadResult> {
    return this.controller(read.laneId).read(read, this.nextReadId++)
  }

  states(): LaneState[] {
    return [...this.controllers.values()].map((controller) => controller.view())
  }

  state(laneId: string): LaneState {
    return this.controller(laneId).view()
  }

  /** The guard lets the held truck through; a controlled truck only with `confirmViolation` (it counts as a violation). */
  release(input: { laneId: string; reason: string; note: string; confirmViolation: boolean; passageId: number }, actor: Actor | null): LaneState {
    const controller = this.controller(input.laneId)
    const current = controller.state.current
    if (controller.state.phase !== 'decided' || !current?.decision) {
      throw new LaneActionError('not_found', `${controller.lane.name}当前没有等待人工处理的车辆（该车辆已处理或已自动关闭）`)
    }
    this.expectHeld(controller, input.passageId, '放行')
    if (current.decision.reasonCode === 'lane_goods_missing' && !goodsRecordedForVisit(this.options.store, current.read.plate)) {
      throw new LaneActionError('invalid_input', `${current.read.plate} 尚未登记货物：本车道须先登记货物（进厂记录）再放行`)
    }
    const controlled = CONTROL_REASONS.has(current.decision.reasonCode)
    if (controlled && !input.confirmViolation) {
      throw new LaneActionError(
        'invalid_input',
        `${current.read.plate} 为管控车辆（${current.decision.reasonText}）。人工放行将记为违规放行，须确认（confirmViolation）后才能放行`
      )
    }
    const actorName = actor?.name ?? NOBODY
    const label = manualReleaseReasons.find((reason) => reason.code === input.reason)?.text ?? input.reason
    const reasonText = `人工放行（${actorName}）：${label}${input.note ? `，${input.note}` : ''}${controlled ? '【违规放行】' : ''}`
    const passageId = controller.passageOf(current.read.id)
    if (passageId === null) throw new LaneActionError('not_found', `${current.read.plate} 的通行记录不存在`)
    this.options.store.lane.decideManually(
      passageId,
      { decision: 'allow', reasonCode: controlled ? 'manual_release_violation' : 'manual_release', reasonText },
      {
        action: 'release',
        actorId: actor?.userId ?? null,
        actorName,
        laneId: input.laneId,
        passageId,
        plate: current.read.plate,
        reason: input.reason,
        note: input.note,
        violation: controlled,
        details: { before: { decision: current.decision.decision, reasonCode: current.decision.reasonCode, reasonText: current.decision.reasonText } }
      },
      this.now()
    )
    controller.dispatch({ type: 'release', at: this.now(), reasonText })
    this.options.onPassage('passage.updated', this.recorder.passage(passageId))
    return controller.view()
  }

  /** The guard refuses the truck in the lane (held, or allowed but not yet through). */
  refuse(input: { laneId: string; note: string; passageId: number }, actor: Actor | null): LaneState {
    const controller = this.controller(input.laneId)
    const current = controller.state.current
    if ((controller.state.phase !== 'decided' && controller.state.phase !== 'barrier_open') || !current?.decision) {
      throw new LaneActionError('not_found', `${controller.lane.name}当前没有可拒绝的车辆（该车辆已处理或已自动关闭）`)
    }
    this.expectHeld(controller, input.passageId, '拒绝')
    const actorName = actor?.name ?? NOBODY
    const passageId = controller.passageOf(current.read.id)
    if (passageId === null) throw new LaneActionError('not_found', `${current.read.plate} 的通行记录不存在`)
    const reasonText = `人工拒绝（${actorName}）${input.note ? `：${input.note}` : ''}`
    this.options.store.lane.decideManually(
      passageId,
      { decision: 'refuse', reasonCode: 'manual_refuse', reasonText },
      { action: 'refuse', actorId: actor?.userId ?? null, actorName, laneId: input.laneId, passageId, plate: current.read.plate, note: input.note },
      this.now()
    )
    controller.dispatch({ type: 'refuse', at: this.now() })
    return controller.view()
  }

  /**
   * A manual decision names the passage the guard saw: if the lane now holds another truck (the one seen was closed
   * and the next came up), nothing is done and the guard is told which truck is there now.
   */
  private expectHeld(controller: LaneController, passageId: number, verb: string): void {
    const current = controller.state.current!
    if (controller.passageOf(current.read.id) === passageId) return
    const seen = this.options.store.passages.get(passageId)
    throw new LaneActionError(
      'invalid_input',
      `未${verb}：${seen ? `车辆 ${seen.plate} ` : '所选车辆'}已不在${controller.lane.name}等待处理，当前等待的是 ${current.read.plate}，请核对后重新操作`
    )
  }

  /** 开闸 / 关闸 with the guard's reason, kept as a manual action (a software raise: source 'software'). */
  async barrier(input: { laneId: string; action: 'open' | 'close'; reason: string }, actor: Actor | null): Promise<LaneState> {
    const controller = this.controller(input.laneId)
    await controller.moveBarrier(input.action)
    const current = controller.state.current
    this.options.store.manualActions.add(
      {
        action: input.action === 'open' ? 'barrier_open' : 'barrier_close',
        actorId: actor?.userId ?? null,
        actorName: actor?.name ?? NOBODY,
        laneId: input.laneId,
        passageId: current ? controller.passageOf(current.read.id) : null,
        plate: current?.read.plate ?? null,
        reason: input.reason,
        details: { source: 'software' }
      },
      this.now()
    )
    return controller.view()
  }

  /** 重新抓拍: the lane camera's photo of the truck in the lane, added to its passage (see PassageRecorder.addPhoto). */
  async recapture(laneId: string, actor: Actor | null): Promise<LaneState> {
    const controller = this.controller(laneId)
    const current = controller.state.current
    const passageId = current ? controller.passageOf(current.read.id) : null
    if (!current || passageId === null) throw new LaneActionError('not_found', `${controller.lane.name}当前没有已登记的车辆`)
    const snapshot = this.options.snapshot?.(laneId)
    if (!snapshot) throw new LaneActionError('not_found', `${controller.lane.name}没有可抓拍的摄像机`)
    let jpeg: Uint8Array
    try {
      jpeg = await snapshot
    } catch (error) {
      throw new LaneActionError('unavailable', `抓拍失败：${(error as Error).message}`)
    }
    const at = this.now()
    const added = this.recorder.addPhoto(passageId, jpeg, at, {
      action: 'recapture',
      actorId: actor?.userId ?? null,
      actorName: actor?.name ?? NOBODY,
      laneId,
      passageId,
      plate: current.read.plate
    })
    if ('problem' in added) throw new LaneActionError('invalid_input', `照片未保存：${added.problem}`)
    this.options.onPassage('passage.updated', this.recorder.passage(passageId))
    return controller.view()
  }

  /**
   * A misread corrected by the guard. The passage keeps both plates. If its record has not been accepted by the
   * platform yet, every pending upload of the passage carries the corrected plate; once accepted, the platform keeps
   * the plate it got (4.1 has no correction call) and the correction stays local, in the passage and the audit.
   */
  correctPlate(input: { passageId: number; plate: string; colour: string }, actor: Actor | null): PlateCorrectionResult {
    const { store } = this.options
    const before = store.passages.get(input.passageId)
    if (!before) throw new LaneActionError('not_found', `通行记录 ${input.passageId} 不存在`)
    if (before.plate === input.plate && before.plateColour === input.colour) throw new LaneActionError('invalid_input', '更正后的车牌与原车牌相同')
    const actorName = actor?.name ?? NOBODY
    // Read and written in one synchronous step: no upload outcome can be committed in between.
    const sent = store.outbox.isSent(input.passageId, 'shareDrivingRecord')
    store.lane.correctPassagePlate(
      { passageId: input.passageId, plate: input.plate, colour: input.colour, uploadsToo: !sent },
      {
        action: 'correct_plate',
        actorId: actor?.userId ?? null,
        actorName,
        laneId: before.laneId,
        passageId: input.passageId,
        plate: input.plate,
        details: { from: { plate: before.plate, colour: before.plateColour }, to: { plate: input.plate, colour: input.colour }, uploadedPlate: sent ? 'original' : 'corrected' }
      },
      this.now()
    )
    const controller = this.controllers.get(before.laneId)
    const readId = controller?.currentReadOf(input.passageId) ?? null
    if (controller && readId !== null) controller.dispatch({ type: 'corrected', at: this.now(), readId, plate: input.plate, colour: input.colour })
    const passage = this.recorder.passage(input.passageId)
    this.options.onPassage('passage.updated', passage)
    return {
      passage,
      uploadedPlate: sent ? 'original' : 'corrected',
      message: sent
        ? `记录已上报平台（车牌 ${before.plate}），平台不支持更正：平台保留原车牌，本地记录保留两个车牌并记入审计`
        : `已更正为 ${input.plate}，上报平台时使用更正后的车牌`
    }
  }

  stop(): void {
    for (const controller of this.controllers.values()) controller.stop()
  }
}
