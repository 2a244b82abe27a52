import type { Decision, LanePhase, LaneState, VehicleClass } from '@shared/contract'
import type { ArmPosition } from '../devices'
import { isoOf } from '../../core/time'

/**
 * The lane state machine, pure: `step(state, event)` returns the next state and the commands for the driver to carry
 * out. No clock, timers or I/O inside: every event carries its time, and a pending timeout is a `deadline` the
 * driver turns into a `tick` event.
 *
 *   idle ──plate──▶ verifying ──decided──┬─ allow ──▶ barrier_open ──loop on──▶ passing ──loop off──▶ (passed) idle
 *                                         │               └─ timeout: raised, not passed ──────────▶ idle
 *                                         └─ refuse/guard ▶ decided ──release──▶ barrier_open
 *                                                              ├─ refuse / timeout: not raised ───▶ idle
 *                                                              └─ loop on while the arm is down: forced pass ▶ idle
 * A lane without a barrier we drive (`none`) closes an allowed truck's passage at the decision and holds a refused or
 * undecided one for the guard like any lane; a guard's release there is a raise by hand. A different plate while a
 * truck is in the lane is queued; the same plate again (while in the lane, queued, or within the dedup window after
 * it left) is merged.
 *
 * Every raise has a source (plate-automatic, guard, remote control, by hand); an arm that rises with no open command
 * of ours within the open timeout is a remote-control raise (遥控抬杆). No lower command goes out while the loop
 * reports a vehicle under the arm (防砸): it waits for the loop to clear.
 */

export interface TruckRead {
  /** Unique per driver, assigned on arrival. */
  id: number
  plate: string
  colour: string
  /** Epoch ms the plate was read. */
  at: number
  /** A truck without a readable plate (无牌车 / 临时车): never merged with another read of the same text. */
  unique?: boolean
  /** The vehicle's class as the camera saw it, for the guard's tile. */
  vehicleClass?: VehicleClass
}

export interface TruckDecision {
  decision: Decision
  reasonCode: string
  reasonText: string
  ledText: string
  emissionStandard: string
  fuelType: string
  decidedOffline: boolean
}

/** Who raised the arm: the plate decision, the guard through us, a remote control (no command of ours), by hand. */
export type RaiseSource = 'plate' | 'guard' | 'remote' | 'hand'

/** How a passage ended at the barrier; see `gateSignalOf`. */
export type PassOutcome = 'passed' | 'not_raised' | 'raised_not_passed' | 'forced'

export interface CurrentTruck {
  read: TruckRead
  decision: TruckDecision | null
  /** The arm was seen up since the barrier was told to open. */
  armRaised: boolean
  /** A loop signal while the arm was down came before the decision: close as forced once recorded. */
  forcedAt: number | null
  /** Its passage could not be written: a later read of the plate is not merged into it (the camera re-sends it). */
  unrecorded?: boolean
  /** Who raised (or is raising) the arm for this truck; null while nobody has. */
  raiseSource?: RaiseSource | null
}

export interface BarrierView {
  arm: ArmPosition
  loopOccupied: boolean | null
}

export interface LaneMachineState {
  laneId: string
  hasBarrier: boolean
  phase: LanePhase
  current: CurrentTruck | null
  queue: TruckRead[]
  /** Trucks that left the lane, for merging late duplicate reads. */
  recent: { plate: string; readId: number; leftAt: number }[]
  barrier: BarrierView | null
  /** When the driver must send a `tick`; null when nothing is timed. */
  deadline: number | null
  /** When we last told the barrier to open: an arm rising long after that was raised by someone else. */
  lastOpenAt?: number | null
  /** The last arm position the limit switches settled on (moving reads `unknown`). */
  settledArm?: ArmPosition
  /** 防砸: a lower is waiting for the loop to clear. */
  lowerWaiting?: boolean
}

export interface LaneTiming {
  dedupWindowMs: number
  openTimeoutMs: number
  passTimeoutMs: number
  decisionHoldMs: number
}

export type LaneEvent =
  | { type: 'plate'; at: number; read: TruckRead }
  | { type: 'decided'; at: number; readId: number; decision: TruckDecision }
  /** Verification or recording failed: the read is dropped from the lane (the driver reported why). */
  | { type: 'failed'; at: number; readId: number }
  | { type: 'signals'; at: number; arm: ArmPosition; loopOccupied: boolean | null }
  | { type: 'open_failed'; at: number; readId: number; message: string }
  | { type: 'release'; at: number; reasonText: string }
  | { type: 'refuse'; at: number }
  /** The decided truck's passage could not be written: a read of its plate again is a truck to record, not a duplicate. */
  | { type: 'unrecorded'; at: number; readId: number }
  /** The guard corrected the plate of the truck in the lane: later reads of the right plate merge into it. */
  | { type: 'corrected'; at: number; readId: number; plate: string; colour: string }
  /** The arm was raised by remote control on an idle lane: a passage with no plate read, `read` made up by the driver. */
  | { type: 'unread_raise'; at: number; read: TruckRead; decision: TruckDecision }
  | { type: 'tick'; at: number }

export type DisplayTone = 'green' | 'red' | 'yellow'

export type LaneCommand =
  | { type: 'verify'; read: TruckRead }
  | { type: 'merged'; read: TruckRead; intoReadId: number }
  | { type: 'queued'; read: TruckRead; position: number }
  | { type: 'open_barrier'; readId: number }
  | { type: 'lower_barrier' }
  | { type: 'show'; tone: DisplayTone; plate: string | null; text: string; voice: string | null }
  /** Record the decided truck's passage: after the barrier command, so the disk never delays the arm. */
  | { type: 'record'; readId: number }
  /** The barrier outcome is known: complete the passage recorded for `readId` and release its uploads. */
  | { type: 'finalize'; readId: number; outcome: PassOutcome; at: number; raiseSource: RaiseSource | null }
  | { type: 'forced_alarm'; plate: string | null; readId: number | null; at: number }
  /** 遥控抬杆: the arm rose with no command of ours; `readId` null when no truck was in the lane. */
  | { type: 'remote_raise'; plate: string | null; readId: number | null; at: number }

export interface StepResult {
  state: LaneMachineState
  commands: LaneCommand[]
}

export function initialLaneState(laneId: string, hasBarrier: boolean): LaneMachineState {
  return {
    laneId,
    hasBarrier,
    phase: 'idle',
    current: null,
    queue: [],
    recent: [],
    barrier: hasBarrier ? { arm: 'unknown', loopOccupied: null } : null,
    deadline: null,
    lastOpenAt: null,
    settledArm: 'unknown',
    lowerWaiting: false
  }
}

export function step(state: LaneMachineState, event: LaneEvent, timing: LaneTiming): StepResult {
  const commands: LaneCommand[] = []
  const next = transition(state, event, timing, commands)
  return { state: next, commands }
}

function transition(state: LaneMachineState, event: LaneEvent, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  switch (event.type) {
    case 'plate':
      return onPlate(state, event.read, event.at, timing, out)
    case 'decided':
      return onDecided(state, event, timing, out)
    case 'failed':
      if (state.current?.read.id !== event.readId || state.phase !== 'verifying') return state
      return startNext({ ...state, current: null, phase: 'idle', deadline: null }, out)
    case 'signals':
      return onSignals(state, event, timing, out)
    case 'open_failed': {
      if (state.phase !== 'barrier_open' || state.current?.read.id !== event.readId || !state.current.decision) return state
      const decision: TruckDecision = { ...state.current.decision, decision: 'guard', reasonCode: 'barrier_failed', reasonText: `道闸未响应（${event.message}），请人工处理`, ledText: '请稍候' }
      out.push(show('yellow', state.current.read.plate, decision.ledText, null))
      return { ...state, phase: 'decided', current: { ...state.current, decision }, deadline: event.at + timing.decisionHoldMs }
    }
    case 'release': {
      const current = state.current
      if (state.phase !== 'decided' || !current?.decision) return state
      const decision: TruckDecision = { ...current.decision, decision: 'allow', reasonCode: 'manual_release', reasonText: event.reasonText, ledText: '请通行' }
      if (!state.hasBarrier) {
        // Nothing of ours can raise this arm: the guard raises it by hand (or with the remote) and the truck goes.
        out.push(show('green', current.read.plate, decision.ledText, `${current.read.plate}，请通行`))
        return finish({ ...state, current: { ...current, decision, raiseSource: 'hand' } }, 'passed', event.at, timing, out)
      }
      out.push({ type: 'open_barrier', readId: current.read.id }, show('green', current.read.plate, decision.ledText, `${current.read.plate}，请通行`))
      return { ...state, phase: 'barrier_open', current: { ...current, decision, armRaised: false, raiseSource: 'guard' }, deadline: event.at + timing.openTimeoutMs, lastOpenAt: event.at, lowerWaiting: false }
    }
    case 'refuse': {
      const current = state.current
      if ((state.phase !== 'decided' && state.phase !== 'barrier_open') || !current?.decision) return state
      const lowered = state.phase === 'barrier_open' ? lower(state, out) : state
      out.push(show('red', current.read.plate, '禁止通行', `${current.read.plate}，禁止通行`))
      return finish(lowered, 'not_raised', event.at, timing, out)
    }
    case 'corrected': {
      if (state.current?.read.id !== event.readId) return state
      return { ...state, current: { ...state.current, read: { ...state.current.read, plate: event.plate, colour: event.colour } } }
    }
    case 'unrecorded': {
      const current = state.current?.read.id === event.readId ? { ...state.current, unrecorded: true } : state.current
      return { ...state, current, recent: state.recent.filter((truck) => truck.readId !== event.readId) }
    }
    case 'unread_raise': {
      if (state.current) return state
      out.push({ type: 'record', readId: event.read.id })
      const current: CurrentTruck = { read: event.read, decision: event.decision, armRaised: true, forcedAt: null, raiseSource: 'remote' }
      return { ...state, phase: 'barrier_open', current, deadline: event.at + timing.openTimeoutMs }
    }
    case 'tick':
      return onTick(state, event.at, timing, out)
  }
}

function onPlate(state: LaneMachineState, read: TruckRead, at: number, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  if (read.unique) {
    if (state.current) {
      out.push({ type: 'queued', read, position: state.queue.length + 1 })
      return { ...state, queue: [...state.queue, read] }
    }
    return start(state, read, out)
  }
  if (state.current?.read.plate === read.plate && !state.current.unrecorded) {
    out.push({ type: 'merged', read, intoReadId: state.current.read.id })
    return state
  }
  const queued = state.queue.find((truck) => truck.plate === read.plate)
  if (queued) {
    out.push({ type: 'merged', read, intoReadId: queued.id })
    return state
  }
  const recent = state.recent.find((truck) => truck.plate === read.plate && at - truck.leftAt <= timing.dedupWindowMs)
  if (recent) {
    out.push({ type: 'merged', read, intoReadId: recent.readId })
    return state
  }
  if (state.current) {
    out.push({ type: 'queued', read, position: state.queue.length + 1 })
    return { ...state, queue: [...state.queue, read] }
  }
  return start({ ...state, recent: state.recent.filter((truck) => at - truck.leftAt <= timing.dedupWindowMs) }, read, out)
}

function start(state: LaneMachineState, read: TruckRead, out: LaneCommand[]): LaneMachineState {
  out.push({ type: 'verify', read }, show('yellow', read.plate, '正在核验', null))
  return { ...state, phase: 'verifying', current: { read, decision: null, armRaised: false, forcedAt: null }, deadline: null }
}

function startNext(state: LaneMachineState, out: LaneCommand[]): LaneMachineState {
  const [next, ...rest] = state.queue
  if (!next) return state
  return start({ ...state, queue: rest }, next, out)
}

function onDecided(state: LaneMachineState, event: Extract<LaneEvent, { type: 'decided' }>, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  const current = state.current
  if (state.phase !== 'verifying' || current?.read.id !== event.readId) return state
  const decided: LaneMachineState = { ...state, current: { ...current, decision: event.decision } }
  const { decision } = event
  const plate = current.read.plate
  const record: LaneCommand = { type: 'record', readId: current.read.id }
  if (current.forcedAt !== null) {
    out.push(record)
    return forced(decided, current.forcedAt, timing, out)
  }
  if (decision.decision === 'allow') {
    if (!state.hasBarrier) {
      out.push(record, show('green', plate, decision.ledText, `${plate}，请通行`))
      return finish({ ...decided, current: { ...decided.current!, raiseSource: 'hand' } }, 'passed', event.at, timing, out)
    }
    out.push({ type: 'open_barrier', readId: current.read.id }, record, show('green', plate, decision.ledText, `${plate}，请通行`))
    const raiseSource = current.raiseSource ?? 'plate'
    return { ...decided, current: { ...decided.current!, raiseSource }, phase: 'barrier_open', deadline: event.at + timing.openTimeoutMs, lastOpenAt: event.at, lowerWaiting: false }
  }
  const tone = decision.decision === 'refuse' ? 'red' : 'yellow'
  out.push(record, show(tone, plate, decision.ledText, decision.decision === 'refuse' ? `${plate}，禁止通行` : null))
  // Held for the guard also where no barrier of ours stands (人工放行 / 人工拒绝).
  return { ...decided, phase: 'decided', deadline: event.at + timing.decisionHoldMs }
}

function onSignals(state: LaneMachineState, event: Extract<LaneEvent, { type: 'signals' }>, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  const before = state.barrier
  const settledArm = event.arm === 'unknown' ? (state.settledArm ?? 'unknown') : event.arm
  let updated: LaneMachineState = { ...state, barrier: { arm: event.arm, loopOccupied: event.loopOccupied }, settledArm }
  const loopArrived = event.loopOccupied === true && before?.loopOccupied !== true
  const loopLeft = event.loopOccupied === false && before?.loopOccupied === true
  // 防砸: the lower that waited for the vehicle under the arm goes once the loop is clear.
  if (updated.lowerWaiting && event.loopOccupied !== true) {
    out.push({ type: 'lower_barrier' })
    updated = { ...updated, lowerWaiting: false }
  }
  const rose = event.arm === 'up' && state.settledArm === 'down'
  const ours = state.lastOpenAt != null && event.at - state.lastOpenAt <= timing.openTimeoutMs
  if (rose && !ours) return onRemoteRaise(updated, event.at, timing, out)
  // Our open is used up once the arm rose for it: the next rise needs a command of its own.
  if (rose) updated = { ...updated, lastOpenAt: null }
  const current = updated.current

  if (state.phase === 'barrier_open' && current) {
    const withArm = event.arm === 'up' ? { ...updated, current: { ...current, armRaised: true } } : updated
    if (loopArrived) return { ...withArm, phase: 'passing', deadline: event.at + timing.passTimeoutMs }
    // A controller without a loop input: the arm closing again after it rose is all we will learn.
    if (event.loopOccupied === null && current.armRaised && event.arm === 'down') return finish(updated, 'passed', event.at, timing, out)
    return withArm
  }
  if (state.phase === 'passing') {
    if (loopLeft) return finish(lower(updated, out), 'passed', event.at, timing, out)
    return updated
  }
  // Idle, verifying or held: a vehicle on the loop while the arm is down went through without permission (闯岗).
  if (loopArrived && event.arm === 'down') {
    if (!current) {
      out.push({ type: 'forced_alarm', plate: null, readId: null, at: event.at }, show('red', null, '闯岗 已记录', '车辆闯岗，已记录'))
      return updated
    }
    if (!current.decision) return { ...updated, current: { ...current, forcedAt: event.at } }
    return forced(updated, event.at, timing, out)
  }
  return updated
}

/** 遥控抬杆: the arm rose with no command of ours. The truck in the lane (if any) goes through on it, flagged. */
function onRemoteRaise(state: LaneMachineState, at: number, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  const current = state.current
  out.push({ type: 'remote_raise', plate: current?.read.plate ?? null, readId: current?.read.id ?? null, at })
  if (!current) return state
  const flagged = { ...current, raiseSource: 'remote' as const, armRaised: true }
  if (state.phase === 'decided') return { ...state, phase: 'barrier_open', current: flagged, deadline: at + timing.openTimeoutMs }
  return { ...state, current: flagged }
}

/** A lower command, unless a vehicle is on the loop under the arm (防砸): then it waits for the loop to clear. */
function lower(state: LaneMachineState, out: LaneCommand[]): LaneMachineState {
  if (state.barrier?.loopOccupied === true) return { ...state, lowerWaiting: true }
  out.push({ type: 'lower_barrier' })
  return { ...state, lowerWaiting: false }
}

function forced(state: LaneMachineState, at: number, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  const current = state.current!
  out.push(
    { type: 'forced_alarm', plate: current.read.plate, readId: current.read.id, at },
    show('red', current.read.plate, '闯岗 已记录', `${current.read.plate}，闯岗已记录`)
  )
  return finish(state, 'forced', at, timing, out)
}

function onTick(state: LaneMachineState, at: number, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  if (state.deadline === null || at < state.deadline || !state.current) return state
  switch (state.phase) {
    case 'barrier_open': {
      const lowered = lower(state, out)
      if (!state.current.armRaised) return finish(lowered, 'not_raised', at, timing, out)
      // Without a loop input nobody can tell: a raised arm is taken as passed.
      return finish(lowered, state.barrier?.loopOccupied === null ? 'passed' : 'raised_not_passed', at, timing, out)
    }
    case 'passing':
      // Still on the loop after the pass timeout: it went under the raised arm; close the passage.
      return finish(state, 'passed', at, timing, out)
    case 'decided':
      return finish(state, 'not_raised', at, timing, out)
    default:
      return state
  }
}

/** Closes the current truck's passage with `outcome` and takes the next queued truck, if any. */
function finish(state: LaneMachineState, outcome: PassOutcome, at: number, timing: LaneTiming, out: LaneCommand[]): LaneMachineState {
  const current = state.current!
  const raised = outcome === 'passed' || outcome === 'raised_not_passed'
  if (current.decision) out.push({ type: 'finalize', readId: current.read.id, outcome, at, raiseSource: raised ? (current.raiseSource ?? null) : null })
  const left = current.unrecorded ? [] : [{ plate: current.read.plate, readId: current.read.id, leftAt: at }]
  const recent = [...state.recent.filter((truck) => at - truck.leftAt <= timing.dedupWindowMs), ...left]
  return startNext({ ...state, phase: 'idle', current: null, deadline: null, recent }, out)
}

function show(tone: DisplayTone, plate: string | null, text: string, voice: string | null): LaneCommand {
  return { type: 'show', tone, plate, text, voice }
}

/** ERRATA E18: bgzt (4.1.4) '1' only for raised-and-passed; gateSignal (4.2.11) 0 passed, 1 not raised, 2 raised not passed. */
export function gateSignalOf(outcome: PassOutcome): { bgzt: '0' | '1'; gateSignal: '0' | '1' | '2' } {
  switch (outcome) {
    case 'passed':
      return { bgzt: '1', gateSignal: '0' }
    case 'raised_not_passed':
      return { bgzt: '0', gateSignal: '2' }
    case 'not_raised':
    case 'forced':
      return { bgzt: '0', gateSignal: '1' }
  }
}

/** Why the arm stays up (防砸), for the guard's lane tile. */
export const LOWER_WAITING_NOTICE = '防砸：车辆仍在道闸下，落杆等待车辆驶离'

/** What the guard's lane tile shows (contract `LaneState`); `passageOf` names the passage recorded for a read. */
export function laneStateView(state: LaneMachineState, passageOf: (readId: number) => number | null = () => null): LaneState {
  const current = state.current
  return {
    laneId: state.laneId,
    phase: state.phase,
    current: current
      ? {
          plate: current.read.plate,
          plateColour: current.read.colour,
          decision: current.decision?.decision ?? null,
          reasonCode: current.decision?.reasonCode ?? '',
          reasonText: current.decision?.reasonText ?? '正在核验',
          emissionStandard: current.decision?.emissionStandard ?? '',
          fuelType: current.decision?.fuelType ?? '',
          decidedOffline: current.decision?.decidedOffline ?? false,
          passageId: current.decision ? passageOf(current.read.id) : null,
          at: isoOf(current.read.at),
          heldUntil: state.phase === 'decided' && state.deadline !== null ? isoOf(state.deadline) : null,
          vehicleClass: current.read.vehicleClass ?? null
        }
      : null,
    queued: state.queue.length,
    queue: state.queue.map((truck) => ({ plate: truck.plate, plateColour: truck.colour, at: isoOf(truck.at) })),
    barrier: state.barrier,
    barrierNotice: state.lowerWaiting ? LOWER_WAITING_NOTICE : null
  }
}
